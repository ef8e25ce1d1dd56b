import type { Logger } from './logger';

export interface RelayOptions {
  /** How often an idle relay looks for work. */
  intervalMs: number;
  /** Longest wait after failed passes (the wait doubles from intervalMs). */
  maxBackoffMs?: number;
  /**
   * Longest wait while idle: after passes that found nothing the wait doubles from intervalMs up
   * to this (default 4 × intervalMs), and work (a full pass, or a kick from a commit in this
   * process) brings it back to intervalMs. An idle worker then costs a few statements a second.
   */
  maxIdleMs?: number;
  log: Logger;
}

/**
 * Runs `pass` again and again in the background: at once while it reports a full
 * batch, every `intervalMs` when idle, sooner when kicked, and with doubling waits
 * while it fails (a database or Temporal that is down). It never throws: a failed
 * pass is logged and retried, so a dependency outage cannot end the process.
 */
export class PollingRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private kicked = false;
  private failures = 0;
  private idle = 0;
  private wake: (() => void) | null = null;

  constructor(
    readonly name: string,
    /** One pass; returns true when it did a full batch (more may be waiting). */
    private readonly pass: () => Promise<boolean>,
    private readonly opts: RelayOptions,
  ) {}

  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    this.running = this.loop();
    return this;
  }

  /** Asks for a pass now (new work was committed in this process). */
  kick(): void {
    this.kicked = true;
    this.idle = 0;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.kicked = false;
      let more = false;
      try {
        more = await this.pass();
        this.failures = 0;
        this.idle = more ? 0 : this.idle + 1;
      } catch (err) {
        this.failures++;
        if (this.failures === 1 || this.failures % 20 === 0)
          this.opts.log.warn(
            { err, relay: this.name, failures: this.failures },
            'relay pass failed; retrying',
          );
      }
      if (this.stopped) break;
      if (more && !this.failures) continue;
      const { intervalMs } = this.opts;
      const wait = this.failures
        ? Math.min(intervalMs * 2 ** this.failures, this.opts.maxBackoffMs ?? 5000)
        : Math.min(intervalMs * 2 ** Math.max(0, this.idle - 1), this.opts.maxIdleMs ?? intervalMs * 4);
      if (!this.kicked || this.failures) await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((res) => {
      const done = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.wake = null;
        res();
      };
      this.wake = done;
      this.timer = setTimeout(done, ms);
    });
  }
}
