import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'vigil'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.token',
        '*.secret',
      ],
      remove: true,
    },
  });
}
