import { Button, Group, Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { type ReactNode, useMemo, useState } from 'react';

export interface Column<T> {
  key: string;
  header: string;
  render: (row: T) => ReactNode;
  /** When given, the column sorts (on the rows loaded). */
  sortValue?: (row: T) => string | number | null | undefined;
}

type Sort = { key: string; dir: 'ascending' | 'descending' } | null;

/** A table with sortable columns and an accessible caption. */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  empty = 'Nothing to show.',
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  empty?: ReactNode;
}) {
  const [sort, setSort] = useState<Sort>(null);
  const sorted = useMemo(() => {
    const col = sort && columns.find((c) => c.key === sort.key);
    if (!sort || !col?.sortValue) return rows;
    const value = col.sortValue;
    const sign = sort.dir === 'ascending' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const va = value(a) ?? '';
      const vb = value(b) ?? '';
      return (va < vb ? -1 : va > vb ? 1 : 0) * sign;
    });
  }, [rows, columns, sort]);
  const toggle = (key: string) =>
    setSort((s) =>
      s?.key === key
        ? { key, dir: s.dir === 'ascending' ? 'descending' : 'ascending' }
        : { key, dir: 'ascending' },
    );
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped highlightOnHover verticalSpacing="xs">
        <VisuallyHidden component="caption">{caption}</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.key} scope="col" aria-sort={sort?.key === c.key ? sort.dir : undefined}>
                {c.sortValue ? (
                  <UnstyledButton onClick={() => toggle(c.key)} fw={700} fz="sm">
                    {c.header}
                    <span aria-hidden="true">
                      {sort?.key === c.key ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : ' ↕'}
                    </span>
                    <VisuallyHidden>, sort</VisuallyHidden>
                  </UnstyledButton>
                ) : (
                  c.header
                )}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={columns.length}>
                <Text c="dimmed" size="sm" ta="center" py="md">
                  {empty}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : (
            sorted.map((row) => (
              <Table.Tr key={rowKey(row)}>
                {columns.map((c) => (
                  <Table.Td key={c.key}>{c.render(row)}</Table.Td>
                ))}
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Cursor paging over a list endpoint: the cursor of each page seen, so Previous works. */
export function useCursorPaging(resetKey: string) {
  const [state, setState] = useState<{ key: string; cursors: Array<string | undefined> }>({
    key: resetKey,
    cursors: [undefined],
  });
  const cursors = state.key === resetKey ? state.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  return {
    cursor,
    page: cursors.length,
    next: (nextCursor: string) => setState({ key: resetKey, cursors: [...cursors, nextCursor] }),
    previous: () => setState({ key: resetKey, cursors: cursors.slice(0, -1) }),
  };
}

export function Pager({
  paging,
  nextCursor,
  label,
}: {
  paging: ReturnType<typeof useCursorPaging>;
  nextCursor: string | null | undefined;
  label: string;
}) {
  return (
    <Group justify="flex-end" gap="xs" mt="xs" role="navigation" aria-label={`${label} pages`}>
      <Button variant="default" size="xs" disabled={paging.page <= 1} onClick={paging.previous}>
        Previous
      </Button>
      <Text size="sm" aria-live="polite">
        Page {paging.page}
      </Text>
      <Button
        variant="default"
        size="xs"
        disabled={!nextCursor}
        onClick={() => nextCursor && paging.next(nextCursor)}
      >
        Next
      </Button>
    </Group>
  );
}
