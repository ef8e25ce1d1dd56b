import { openApiDocument } from './openapi';

// Prints the OpenAPI document without connecting to Postgres or Temporal.
process.stdout.write(`${JSON.stringify(openApiDocument(), null, 2)}\n`);
