/** Errors that map to RFC 9457 problem+json answers. Services throw these; the HTTP layer renders them. */
export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly code?: string,
  ) {
    super(message);
  }
}

export class BadRequest extends AppError {
  constructor(message: string, errors: FieldError[] = []) {
    super(400, 'Bad Request', message, errors);
  }
}

export class Unauthorized extends AppError {
  constructor(message = 'A valid bearer token is required') {
    super(401, 'Unauthorized', message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'Your role does not allow this action') {
    super(403, 'Forbidden', message);
  }
}

export class NotFound extends AppError {
  constructor(what = 'Resource', id?: string) {
    super(404, 'Not Found', id ? `${what} ${id} was not found` : `${what} was not found`);
  }
}

export class Conflict extends AppError {
  constructor(message: string, errors: FieldError[] = []) {
    super(409, 'Conflict', message, errors);
  }
}

/** A well-formed request that breaks a business rule (e.g. completing without evidence). */
export class Unprocessable extends AppError {
  constructor(message: string, errors: FieldError[] = [], code?: string) {
    super(422, 'Unprocessable Content', message, errors, code);
  }
}

export class ServiceUnavailable extends AppError {
  constructor(message: string) {
    super(503, 'Service Unavailable', message);
  }
}

export const isServiceUnavailable = (err: unknown): err is ServiceUnavailable =>
  err instanceof ServiceUnavailable;
