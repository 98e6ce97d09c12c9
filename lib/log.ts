import 'server-only';
import pino from 'pino';
import { env } from './env';

// No personal data reaches the logs: known keys are censored by path, and any string that looks like
// a phone number, an ID number, a one-time code or a token is masked wherever it appears.
const SENSITIVE_KEYS = ['phone', 'code', 'otp', 'token', 'idNumber', 'name', 'authorization', 'cookie', 'password', 'secret'];

const PATTERNS: [RegExp, string][] = [
  [/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, '[token]'], // JWT / JWS
  [/\b\d{17}[\dXx]\b/g, '[id]'], // mainland ID number
  [/(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)/g, '[phone]'],
  [/(?<!\d)\d{6}(?!\d)/g, '[code]'],
];

export function scrubText(text: string): string {
  return PATTERNS.reduce((s, [re, repl]) => s.replace(re, repl), text);
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: scrubText(value.message), stack: value.stack && scrubText(value.stack) };
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SENSITIVE_KEYS.includes(k) ? '[redacted]' : scrub(v, depth + 1)]));
}

export function createLogger(destination?: pino.DestinationStream) {
  return pino(
    {
      level: env().LOG_LEVEL,
      base: undefined,
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          // Scrub the message string too (pino formats it after the hook).
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

const g = globalThis as { __logger?: pino.Logger };
export function log(): pino.Logger {
  g.__logger ??= createLogger();
  return g.__logger;
}
