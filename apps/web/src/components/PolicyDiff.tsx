import { Code, Stack, Text } from '@mantine/core';
import type { Reply } from '../api/types';

/** GET /api/policies/{policy_id}/diff. */
export type LineDiff = Reply<'/api/policies/{policy_id}/diff', 'get'>;

/** One row per line, keyed by its position in the diff (lines have no other identity). */
function diffRows(diff: LineDiff) {
  const rows: Array<{ key: string; text: string; background?: string }> = [];
  for (const h of diff.hunks)
    for (const line of h.lines)
      rows.push({
        key: String(rows.length),
        text: `${h.op === 'add' ? '+ ' : h.op === 'remove' ? '- ' : '  '}${line}`,
        background: h.op === 'add' ? '#d3f9d8' : h.op === 'remove' ? '#ffe3e3' : undefined,
      });
  return rows;
}

/** A line diff between two versions: added lines green with `+`, removed ones red with `-`. */
export function DiffView({ diff }: { diff: LineDiff }) {
  return (
    <Stack gap={4}>
      <Text size="sm" aria-live="polite">
        v{diff.from_version} → v{diff.to_version}: {diff.added} line(s) added, {diff.removed} removed
      </Text>
      <Code block aria-label={`Changes from version ${diff.from_version} to ${diff.to_version}`}>
        {diffRows(diff).map((row) => (
          <div key={row.key} style={{ background: row.background }}>
            {row.text}
          </div>
        ))}
      </Code>
    </Stack>
  );
}
