import { Anchor, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useSession } from '../session';

/** A completed reminder instance's evidence: its links, and its stored files with a download link each. */
export function ReminderEvidence({
  instanceId,
  links,
}: {
  instanceId: string;
  links: Array<Record<string, unknown>>;
}) {
  const { workspace_id: ws } = useSession();
  const files = useQuery({
    queryKey: ['documents', 'by-entity', 'REMINDER_INSTANCE', instanceId],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/compliance/documents/by-entity/{entity_type}/{entity_id}', {
          params: { path: { ws, entity_type: 'REMINDER_INSTANCE', entity_id: instanceId } },
        }),
      ),
    staleTime: 60_000,
  });
  const urls = links.flatMap((l) =>
    typeof l.url === 'string' ? [{ url: l.url, title: typeof l.title === 'string' ? l.title : l.url }] : [],
  );
  const docs = files.data?.data ?? [];
  if (!urls.length && !docs.length)
    return <Text size="sm">{files.isPending ? '…' : files.isError ? 'Files not readable' : '—'}</Text>;
  return (
    <Stack gap={2}>
      {urls.map((l) => (
        <Anchor key={l.url} href={l.url} target="_blank" rel="noreferrer" size="sm">
          {l.title}
        </Anchor>
      ))}
      {docs.map((d) =>
        d.download_url ? (
          <Anchor key={d.id} href={d.download_url} size="sm" aria-label={`Download ${d.file_name}`}>
            {d.file_name}
          </Anchor>
        ) : (
          <Text key={d.id} size="sm">
            {d.file_name}
          </Text>
        ),
      )}
    </Stack>
  );
}
