interface Stoppable {
  stop(): Promise<void>;
}

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__vigilStack as
    | { pg: Stoppable; temporal: Stoppable }
    | undefined;
  if (!stack) return;
  await stack.temporal.stop().catch(() => undefined);
  await stack.pg.stop().catch(() => undefined);
}
