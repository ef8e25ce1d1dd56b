/** Entry point of the Temporal workflow bundle: every domain's workflows. Deterministic code only. */
export * from './documents/workflows';
export * from './evidence/workflows';
export * from './obligations/workflows';
export * from './reminders/workflows';
