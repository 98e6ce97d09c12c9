import 'server-only';
import { log } from './log';

type RequestInfo = Readonly<{ path: string; method: string }>;
type ErrorContext = Readonly<{ routePath: string; routeType: string }>;

/**
 * What is logged of an error Next caught while answering (instrumentation.ts onRequestError): through the
 * masking logger only, the path without its query, and of the error its type, code and message — cut
 * before any `params:` (drizzle's wrapper, should one ever get past db/errors.ts) — and its stack frames
 * (a stack's first line repeats the message).
 */
export function describeRequestError(error: unknown, request: RequestInfo, context: ErrorContext) {
  const e = error instanceof Error ? error : new Error(String(error));
  const message = e.message.split(/\nparams:/)[0];
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 12)
    .join('\n');
  const code = (e as { code?: unknown }).code;
  const digest = (e as { digest?: unknown }).digest;
  return {
    error: { type: e.name, message, ...(typeof code === 'string' ? { sqlstate: code } : {}), frames },
    ...(typeof digest === 'string' ? { digest } : {}),
    method: request.method,
    path: request.path.split('?')[0],
    route: context.routePath,
    routeType: context.routeType,
  };
}

export function reportRequestError(error: unknown, request: RequestInfo, context: ErrorContext) {
  log().error(describeRequestError(error, request, context), 'request failed');
}
