/** Entry point of the Temporal workflow bundle: every domain's workflows. Deterministic code only. */
export * from './certifications/workflows';
export * from './obligations/workflows';
export * from './policies/workflows';
export * from './reminders/workflows';
export * from './training/workflows';
