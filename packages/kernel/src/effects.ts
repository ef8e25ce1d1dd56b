import type { TemporalHandle } from './temporal';

/**
 * Side effects that must run only after a transaction commits (start or signal a
 * workflow). If one fails, the row is still right and the reconcile sweep repairs
 * the missing workflow; the failure is logged, not thrown at the caller.
 */
export class Effects {
  /** The Temporal handle effects use (hooks that run inside another domain's transaction get it here). */
  constructor(readonly temporal: TemporalHandle | null = null) {}

  private readonly list: Array<{ name: string; run: () => Promise<unknown> }> = [];

  add(name: string, run: () => Promise<unknown>): void {
    this.list.push({ name, run });
  }

  get size(): number {
    return this.list.length;
  }

  async run(
    onError: (name: string, err: unknown) => void = () => undefined,
    concurrency = 16,
  ): Promise<number> {
    let failed = 0;
    const queue = [...this.list];
    this.list.length = 0;
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        try {
          await next.run();
        } catch (err) {
          failed++;
          onError(next.name, err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    return failed;
  }
}
