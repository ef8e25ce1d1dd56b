import { isDatabaseUnavailable, isTransactionConflict, pgErrorCode } from '@vigil/kernel/db';
import { AppError } from '@vigil/kernel/errors';
import type { Logger } from '@vigil/kernel/logger';
import type { NextFunction, Request, Response } from 'express';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: Array<{ field: string; message: string }>;
  code?: string;
}

export function sendProblem(res: Response, p: Problem): void {
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
}

/**
 * What a Postgres error means for the caller when the request carried a value Postgres
 * cannot take: a data exception (SQLSTATE class 22: too long, out of range, bad datetime,
 * invalid text representation, NUL byte, bad Unicode escape, ...), a check-constraint
 * violation (23514) or a value past a program limit (54000, 54001). Null for anything else.
 */
export function refusedValue(code: string): string | null {
  if (code === '22001') return 'A value is too long';
  if (code === '22003') return 'A number is out of range';
  if (code === '22007' || code === '22008') return 'A date or time is invalid or out of range';
  if (code === '22P02') return 'A value has the wrong format';
  if (code === '22021' || code === '22P05') return 'A value contains a character that cannot be stored';
  if (code.startsWith('22')) return 'A value is invalid';
  if (code === '23514') return 'A value breaks a rule of the stored data';
  if (code === '54000' || code === '54001') return 'A value is too large or too deeply nested';
  return null;
}

/** Maps anything thrown to RFC 9457 problem+json. Never leaks internals; unknown errors are 500 and logged. */
export function toProblem(err: unknown, req: Request, log: Logger): Problem {
  const instance = req.originalUrl;
  const plain = (title: string, status: number, detail: string): Problem => ({
    type: 'about:blank',
    title,
    status,
    detail,
    instance,
  });
  if (err instanceof AppError) {
    return {
      type: 'about:blank',
      title: err.title,
      status: err.status,
      detail: err.message,
      instance,
      ...(err.errors.length ? { errors: err.errors } : {}),
      ...(err.code ? { code: err.code } : {}),
    };
  }
  const e = err as { type?: string; status?: number; message?: string; limit?: number };
  if (e.type === 'entity.parse.failed') {
    return {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'Malformed JSON body',
      instance,
      errors: [{ field: 'body', message: 'Malformed JSON' }],
    };
  }
  if (e.type === 'entity.too.large') {
    return plain('Content Too Large', 413, `Body exceeds the ${e.limit ?? ''} byte limit`);
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return plain('Bad Request', e.status, e.message ?? 'Bad request');
  }
  if (isDatabaseUnavailable(err)) {
    log.error({ err }, 'database unavailable');
    return plain('Service Unavailable', 503, 'The database is unavailable; try again shortly');
  }
  const code = pgErrorCode(err);
  const refused = code ? refusedValue(code) : null;
  if (refused) {
    log.warn({ err }, 'Postgres refused a value');
    return plain('Bad Request', 400, refused);
  }
  if (code === '23503') {
    return plain('Conflict', 409, 'A referenced record does not exist or is still in use');
  }
  if (code === '23505') {
    return plain('Conflict', 409, 'A record with the same key already exists');
  }
  if (isTransactionConflict(err)) {
    log.warn({ err }, 'transaction aborted by a concurrent one');
    return plain('Service Unavailable', 503, 'A concurrent change conflicted; retry the request');
  }
  if (code === '57014') {
    return plain('Service Unavailable', 503, 'The query took too long');
  }
  log.error({ err }, 'unhandled error');
  return plain('Internal Server Error', 500, 'Unexpected error');
}

export const errorMiddleware =
  (log: Logger) =>
  (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) return;
    sendProblem(res, toProblem(err, req, log));
  };
