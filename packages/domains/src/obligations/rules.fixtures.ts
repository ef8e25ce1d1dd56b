import type { Checkpoint, LadderLevel, Level, ObligationState } from './rules';
import { nextCheckpoint } from './rules';

/** Shared fixtures for the obligation rules' unit and property tests. */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const BASE = Date.UTC(2025, 0, 1);
export const at = (ms: number): Date => new Date(BASE + ms);

export function rung(level: Level, afterMs: number): LadderLevel {
  return { level, afterMs, target: { type: 'MANAGER' }, channels: ['email'] };
}

export function makeState(over: Partial<ObligationState> = {}): ObligationState {
  return {
    kind: 'training_assignment',
    id: 'ob-1',
    workspaceId: 'ws-1',
    ownerId: 'u-1',
    status: 'PENDING',
    terminal: false,
    openedAt: at(0),
    dueAt: at(30 * DAY),
    preDue: [
      { offsetMs: 7 * DAY, action: 'REMIND' },
      { offsetMs: DAY, action: 'REMIND' },
    ],
    atDue: 'MARK_OVERDUE',
    escalateFrom: 'DUE',
    ladder: [rung('L1', DAY), rung('L2', 3 * DAY)],
    done: [],
    escalationAcknowledged: false,
    ...over,
  };
}

export const keysOf = (steps: Checkpoint[]): string[] => steps.map((s) => s.key);
export const stepOf = (state: ObligationState, now = at(0)): Checkpoint | null => {
  const next = nextCheckpoint(state, now);
  return next.type === 'STEP' ? next.step : null;
};
