/**
 * Re-analysis of a questionnaire, pure: how a fresh analysis meets the suggestions already
 * stored, so the ids clients hold stay valid and decided suggestions are never lost. No I/O.
 */
import type { Suggestion } from './rules';

/** A suggestion already stored for the questionnaire, as re-analysis compares it. */
export interface StoredSuggestion extends Omit<Suggestion, 'questionId'> {
  id: string;
  questionId: string | null;
  /** PENDING, or decided: ACCEPTED / REJECTED. */
  status: string;
}

/** What re-analysis does to the stored suggestions: ids a client holds stay valid. */
export interface SuggestionPlan {
  /** Pending suggestions whose proposal is unchanged: untouched, same id. */
  keep: string[];
  /** Pending suggestions of the same question with a new proposal: updated in place, same id. */
  update: Array<{ id: string; suggestion: Suggestion }>;
  /** Questions suggested for the first time. */
  insert: Suggestion[];
  /** Pending suggestions whose question is no longer suggested. */
  remove: string[];
  /** Questions already accepted or rejected: never suggested again, never dropped. */
  decided: number;
}

const sameProposal = (a: Omit<Suggestion, 'questionId'>, b: Omit<Suggestion, 'questionId'>) =>
  a.title === b.title &&
  a.description === b.description &&
  a.category === b.category &&
  a.frequency === b.frequency &&
  a.domain === b.domain &&
  Math.round(a.confidence * 100) === Math.round(b.confidence * 100);

/** Matches a fresh analysis to the stored suggestions by question id (the first pending one of a question wins). */
export function planSuggestions(stored: StoredSuggestion[], fresh: Suggestion[]): SuggestionPlan {
  const decided = new Set(stored.filter((s) => s.status !== 'PENDING').map((s) => s.questionId));
  const pending = new Map<string | null, StoredSuggestion>();
  const plan: SuggestionPlan = { keep: [], update: [], insert: [], remove: [], decided: 0 };
  for (const s of stored) {
    if (s.status !== 'PENDING') continue;
    if (pending.has(s.questionId) || decided.has(s.questionId)) plan.remove.push(s.id);
    else pending.set(s.questionId, s);
  }
  for (const f of fresh) {
    if (decided.has(f.questionId)) {
      plan.decided++;
      continue;
    }
    const old = pending.get(f.questionId);
    pending.delete(f.questionId);
    if (!old) plan.insert.push(f);
    else if (sameProposal(old, f)) plan.keep.push(old.id);
    else plan.update.push({ id: old.id, suggestion: f });
  }
  for (const s of pending.values()) plan.remove.push(s.id);
  return plan;
}
