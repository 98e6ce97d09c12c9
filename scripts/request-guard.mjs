// The launcher's own answers (scripts/serve.mjs), given before Next sees a request.
//
// Two kinds of request make Next itself answer 500: a path whose `%` escape is malformed (`/q/%ZZ`,
// `/join/%E0%A4%A`: the router throws before any config, proxy or page runs, and the answer is plain text
// without the security headers), and a server action posted from another origin (Next refuses it with a
// 500). They are answered here: 400 and 403, with the security headers. So is a form posted without
// JavaScript (a multipart POST to a page, which Next decodes as a possible server action) whose body is
// not multipart at all: Next's parser throws and the answer was a 500. And every answer, Next's own
// redirects included, carries the security headers (withSecurityHeaders).
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The launcher's checks, run before Next sees the request: the request to hand to Next (itself, or a
 * replay of a form body read here), or null when the launcher has answered. Its security headers are the
 * ones the build compiled for that path (.next/routes-manifest.json, from next.config.js), with a strict
 * floor for anything the build does not set.
 */
export function requestGuard(dir) {
  const require = createRequire(path.join(dir, 'package.json'));
  const manifest = readJson(path.join(dir, '.next', 'routes-manifest.json'));
  const serverFiles = readJson(path.join(dir, '.next', 'required-server-files.json'));
  const allowedOrigins = serverFiles?.config?.experimental?.serverActions?.allowedOrigins ?? [];
  const { isCsrfOriginAllowed } = require('next/dist/server/app-render/csrf-protection');
  const compiled = (manifest?.headers ?? []).map((h) => ({ regex: new RegExp(h.regex), headers: h.headers }));
  const headersFor = (req) => securityHeaders(compiled, rawPath(req.url));
  /** @returns {import('node:http').IncomingMessage | null | Promise<import('node:http').IncomingMessage | null>} */
  const guard = (req, res) => {
    if (!decodablePath(req.url)) {
      answerPlain(res, 400, 'Bad Request: malformed percent-encoding in the path', headersFor(req));
      return null;
    }
    if (crossOriginAction(req, (host) => isCsrfOriginAllowed(host, allowedOrigins))) {
      answerPlain(res, 403, 'Forbidden: cross-origin request', headersFor(req));
      return null;
    }
    // Next's own error shell is a page of the build (/_global-error), prerendered with status 500: asked
    // for by name, it is a page that does not exist.
    if (isInternalErrorPage(req.url)) req.url = '/_not-found';
    if (pageFormPost(req)) return checkedFormPost(req, res, headersFor(req));
    return req;
  };
  guard.headersFor = headersFor;
  guard.withSecurityHeaders = (req, res) => withSecurityHeaders(res, () => headersFor(req));
  return guard;
}

// Next's default server-action body limit (serverActions.bodySizeLimit, 1 MB).
const FORM_BODY_LIMIT = 1024 * 1024;

/** A multipart POST to a page without the Next-Action header: Next decodes it as a form posted without JavaScript. */
export function pageFormPost(req) {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  return (
    req.method === 'POST' &&
    type.startsWith('multipart/form-data') &&
    req.headers['next-action'] === undefined &&
    !rawPath(req.url).startsWith('/api/')
  );
}

/**
 * Reads such a body (up to the limit), parses it as Next will (the platform's FormData parser), and
 * answers 400 (or 413) when it is not multipart; otherwise hands Next a replay of the same bytes.
 */
async function checkedFormPost(req, res, headers) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > FORM_BODY_LIMIT) {
      answerPlain(res, 413, 'Payload Too Large', headers);
      return null;
    }
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  try {
    await new Request('http://launcher.invalid/', {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] },
      body,
    }).formData();
  } catch {
    answerPlain(res, 400, 'Bad Request: the form body could not be read', headers);
    return null;
  }
  return replayOf(req, body);
}

/** The same request with its body read again from memory (the original stream has been consumed). */
function replayOf(req, body) {
  const replay = new http.IncomingMessage(req.socket);
  Object.assign(replay, {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    complete: true,
  });
  replay.push(body);
  replay.push(null);
  return replay;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** The path of a request target (origin-form or absolute-form), without its query. */
export function rawPath(url = '/') {
  const target = url.split('?', 1)[0].split('#', 1)[0];
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(target);
  return (absolute ? target.slice(absolute[0].length) : target) || '/';
}

/** Whether every `%` escape of the path decodes (to UTF-8): what Next's router needs not to throw. */
/** @param {string | undefined} url */
export function isInternalErrorPage(url) {
  return /^\/_global-error(\/|$)/.test(decodeURIComponent(rawPath(url)));
}

/** @param {string | undefined} url */
export function decodablePath(url) {
  try {
    decodeURIComponent(rawPath(url));
    return true;
  } catch {
    return false;
  }
}

/**
 * A POST that Next would treat as a server action (the `Next-Action` header, or a form body outside the
 * route handlers of /api) from an origin other than the request's host — Next's own CSRF rule
 * (x-forwarded-host, else host; `serverActions.allowedOrigins`), answered 403 here instead of Next's 500.
 * No Origin at all is let through, as Next does (not a browser's cross-site request).
 */
/**
 * @param {import('node:http').IncomingMessage} req
 * @param {(originHost: string) => boolean} allowed
 */
export function crossOriginAction(req, allowed) {
  if (req.method !== 'POST') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  const form = type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded');
  const action = req.headers['next-action'] !== undefined || (form && !rawPath(req.url).startsWith('/api/'));
  if (!action) return false;
  let originHost;
  try {
    originHost = origin === 'null' ? 'null' : new URL(origin).host;
  } catch {
    return true;
  }
  const forwarded = req.headers['x-forwarded-host'];
  const host = (Array.isArray(forwarded) ? forwarded[0] : forwarded?.split(',')[0]?.trim()) || req.headers.host;
  if (host && originHost === host) return false;
  return !allowed(originHost);
}

// The floor under the compiled headers: a refusal carries no script, is never framed, never sniffed.
const FLOOR = {
  'content-security-policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * The headers of an answer the launcher gives: those next.config.js compiled for the path, over FLOOR;
 * HSTS when the public origin is https.
 * @param {{ regex: RegExp; headers: { key: string; value: string }[] }[]} compiled
 * @param {string} pathname
 * @returns {Record<string, string>}
 */
export function securityHeaders(compiled, pathname) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const entry of compiled) {
    if (!entry.regex.test(pathname)) continue;
    for (const { key, value } of entry.headers) out[key.toLowerCase()] = value;
  }
  for (const [key, value] of Object.entries(FLOOR)) out[key] ??= value;
  const publicUrl = process.env.PUBLIC_URL ?? process.env.NEXTAUTH_URL ?? '';
  if (publicUrl.startsWith('https://')) out['strict-transport-security'] ??= 'max-age=63072000; includeSubDomains';
  return out;
}

/**
 * Every answer carries the security headers, including those Next writes without its config's headers
 * (the 308 of a trailing slash, for one): any missing when the head is written are added, never replacing
 * one already set.
 */
function withSecurityHeaders(res, headers) {
  const writeHead = res.writeHead;
  res.writeHead = function (...args) {
    if (!res.headersSent) {
      for (const [key, value] of Object.entries(headers())) if (!res.hasHeader(key)) res.setHeader(key, value);
    }
    return writeHead.apply(this, args);
  };
  return res;
}

/** A short plain-text answer, never cached. */
export function answerPlain(res, status, text, headers) {
  res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}
