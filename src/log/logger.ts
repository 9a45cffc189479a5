// Hestia's structured logger: pino JSON lines with secrets redacted at the logger, so no caller can
// leak a password by logging an options object. Components receive a logger (or a child of one);
// nothing here is a module-level singleton.
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Field paths whose values never reach a log line. pino matches paths, not names, so each secret
 * name is listed at every depth Hestia logs objects (up to three levels below a field).
 */
const SECRET_NAMES = ['password', 'token', 'access_token', 'secret', 'pin'];
export const REDACTED_PATHS = [
  ...SECRET_NAMES.flatMap((n) => [n, `*.${n}`, `*.*.${n}`, `*.*.*.${n}`]),
  'headers.authorization',
  '*.headers.authorization',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Where the JSON lines go; stdout of the process when absent (systemd's journal reads it). */
  destination?: DestinationStream | NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: 'hestia',
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    (options.destination ?? pino.destination(1)) as DestinationStream,
  );
}

/** The logger for one request: every line it writes carries the request id. */
export function requestLogger(log: Logger, requestId: string, source: string): Logger {
  return log.child({ request_id: requestId, source });
}

/** A URL safe to log: any user info (`user:password@`) is dropped. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}
