/** Every table, for Drizzle's typed queries and drizzle-kit's migration generator. */
export * from './audit/schema';
export * from './people/schema';
