// JSON logs (pino). Credentials never reach a log line: authorization headers, cookies and anything
// named like a key or secret are redacted at the logger, whatever a caller passes.
import pino, { type Logger } from 'pino';

export function createLogger(level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'gateway-api' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.privateKeyPem',
        '*.credentials',
        '*.enrollmentSecret',
        '*.key',
        'privateKeyPem',
        'credentials',
      ],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
