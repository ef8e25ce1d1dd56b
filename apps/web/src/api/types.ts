import type { paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body an endpoint takes, from the OpenAPI document. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: infer R;
}
  ? Json<NonNullable<R>>
  : never;

/** The JSON an endpoint answers with on success. */
export type Reply<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? Json<R[keyof R & (200 | 201)]>
  : never;
