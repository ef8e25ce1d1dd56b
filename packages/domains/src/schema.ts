/** Every table, for Drizzle's typed queries and drizzle-kit's migration generator. */
export * from './audit/schema';
export * from './auth/schema';
export * from './certifications/schema';
export * from './documents/schema';
export * from './escalation/schema';
export * from './notifications/schema';
export * from './obligations/schema';
export * from './people/schema';
export * from './policies/schema';
export * from './questionnaires/schema';
export * from './reminders/schema';
export * from './training/schema';
