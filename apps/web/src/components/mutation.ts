import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ProblemError } from '../api/client';

/** A write through the API: a toast on success, the problem+json detail in a toast on failure. */
export function useApiMutation<TVars, TResult>(
  fn: (vars: TVars) => Promise<TResult>,
  opts: {
    success?: string | ((result: TResult) => string);
    invalidate?: ReadonlyArray<readonly unknown[]>;
    onSuccess?: (result: TResult) => void;
  } = {},
) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (result) => {
      for (const key of opts.invalidate ?? []) await qc.invalidateQueries({ queryKey: key });
      const msg = typeof opts.success === 'function' ? opts.success(result) : opts.success;
      if (msg) notifications.show({ color: 'green', title: 'Done', message: msg });
      opts.onSuccess?.(result);
    },
    onError: (err) => {
      const p = err instanceof ProblemError ? err : null;
      notifications.show({
        color: 'red',
        title: p?.title ?? 'Request failed',
        message: p ? [p.detail, ...p.errors.map((e) => `${e.field}: ${e.message}`)].join(' · ') : String(err),
      });
    },
  });
}
