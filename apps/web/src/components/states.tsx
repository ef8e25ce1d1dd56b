import { Alert, Center, EmptyState, Loader, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ProblemError } from '../api/client';

/** An API error with its problem+json title, detail and field errors. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const p = error instanceof ProblemError ? error : null;
  return (
    <Alert color="red" title={title ?? p?.title ?? 'Something went wrong'} role="alert">
      <Stack gap={4}>
        <Text size="sm">{p?.detail ?? (error instanceof Error ? error.message : String(error))}</Text>
        {p?.errors.map((e) => (
          <Text size="sm" key={`${e.field}:${e.message}`}>
            <b>{e.field}</b>: {e.message}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

/** Loading, error and empty states around a query's data. */
export function QueryState<T>({
  query,
  label,
  empty,
  isEmpty,
  children,
}: {
  query: UseQueryResult<T>;
  label: string;
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending)
    return (
      <Center p="lg">
        <Loader size="sm" aria-label={`Loading ${label}`} />
      </Center>
    );
  if (query.isError) return <ProblemAlert error={query.error} title={`Could not load ${label}`} />;
  if (isEmpty?.(query.data)) return <Empty title={`No ${label} yet`}>{empty}</Empty>;
  return <>{children(query.data)}</>;
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <EmptyState title={title} description={children} size="sm">
      {null}
    </EmptyState>
  );
}
