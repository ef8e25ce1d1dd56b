import { createLogger } from './logger';
import { PollingRelay } from './relay';

const until = async (check: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('PollingRelay', () => {
  it('waits longer while idle, doubling up to maxIdleMs', async () => {
    const at: number[] = [];
    let full = 3; // the first three passes report a full batch
    const relay = new PollingRelay(
      'test',
      async () => {
        at.push(performance.now());
        return full-- > 0;
      },
      { intervalMs: 20, maxIdleMs: 80, log: createLogger('silent', 'test') },
    ).start();
    await until(() => at.length >= 9);
    await relay.stop();
    const gaps = at.slice(1).map((t, i) => t - (at[i] as number));
    // Then idle waits: 20, 40, 80, 80, 80 ms (timers never fire much early).
    const idle = gaps.slice(3, 8);
    expect(idle.map((g, i) => g >= [20, 40, 80, 80, 80][i]! - 2)).toEqual([true, true, true, true, true]);
  });

  it('runs the next pass at once after a full one', async () => {
    let passes = 0;
    const relay = new PollingRelay('test', async () => ++passes < 4, {
      intervalMs: 60_000,
      log: createLogger('silent', 'test'),
    }).start();
    await until(() => passes === 4, 5000);
    await relay.stop();
  });

  it('a kick ends an idle wait at once and starts the idle waits over', async () => {
    let passes = 0;
    const relay = new PollingRelay(
      'test',
      async () => {
        passes++;
        return false;
      },
      { intervalMs: 10_000, log: createLogger('silent', 'test') },
    ).start();
    await until(() => passes === 1);
    relay.kick();
    await until(() => passes === 2, 2000);
    relay.kick();
    await until(() => passes === 3, 2000);
    await relay.stop();
  });
});
