import 'server-only';
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { env } from '@/lib/env';
import { looksLikeCodeToken, TOKEN_PREFIX } from './token-format';

// The QR payload: `YKM1.<payload>.<signature>`, base64url. The payload is 22 bytes: format version,
// code kind, person id (16 bytes) and the person's code generation; the signature is Ed25519 over the
// prefix and payload. Nothing personal and no colour is in it: the colour is looked up when scanned (H7).

export { TOKEN_PREFIX };
export type CodeKind = 'personal' | 'offline';
const KINDS: CodeKind[] = ['personal', 'offline'];

export type CodeKeys = { privateKey: KeyObject; publicKey: KeyObject };

/** Keys from a 32-byte Ed25519 seed (base64). */
export function codeKeysFromSeed(seedBase64: string): CodeKeys {
  const seed = Buffer.from(seedBase64, 'base64');
  if (seed.length !== 32) throw new Error('CODE_SIGNING_KEY must be a 32-byte seed');
  // PKCS#8 wrapping of a raw Ed25519 seed.
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

const g = globalThis as { __codeKeys?: CodeKeys };
export function codeKeysFromEnv(): CodeKeys {
  g.__codeKeys ??= codeKeysFromSeed(env().CODE_SIGNING_KEY);
  return g.__codeKeys;
}

export type CodeClaims = { personId: string; kind: CodeKind; generation: number };

function uuidToBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function bytesToUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function signCodeToken(keys: CodeKeys, claims: CodeClaims): string {
  const payload = Buffer.alloc(22);
  payload.writeUInt8(1, 0);
  payload.writeUInt8(KINDS.indexOf(claims.kind), 1);
  uuidToBytes(claims.personId).copy(payload, 2);
  payload.writeUInt32BE(claims.generation, 18);
  const body = `${TOKEN_PREFIX}${payload.toString('base64url')}`;
  return `${body}.${sign(null, Buffer.from(body), keys.privateKey).toString('base64url')}`;
}

export type ParsedToken = { ok: true; claims: CodeClaims } | { ok: false; reason: 'not_ours' | 'bad_signature' };

/** Checks the form and the signature; whether the person and generation are current is the resolver's job. */
export function verifyCodeToken(keys: CodeKeys, text: string): ParsedToken {
  const trimmed = text.trim();
  if (!looksLikeCodeToken(trimmed)) return { ok: false, reason: 'not_ours' };
  const parts = trimmed.slice(TOKEN_PREFIX.length).split('.');
  if (parts.length !== 2 || !/^[\w-]+$/.test(parts[0]) || !/^[\w-]+$/.test(parts[1])) return { ok: false, reason: 'bad_signature' };
  const payload = Buffer.from(parts[0], 'base64url');
  const signature = Buffer.from(parts[1], 'base64url');
  if (
    payload.length !== 22 ||
    signature.length !== 64 ||
    payload.toString('base64url') !== parts[0] ||
    signature.toString('base64url') !== parts[1]
  )
    return { ok: false, reason: 'bad_signature' };
  if (!verify(null, Buffer.from(`${TOKEN_PREFIX}${parts[0]}`), keys.publicKey, signature)) return { ok: false, reason: 'bad_signature' };
  const kind = KINDS[payload.readUInt8(1)];
  if (payload.readUInt8(0) !== 1 || !kind) return { ok: false, reason: 'bad_signature' };
  return { ok: true, claims: { personId: bytesToUuid(payload.subarray(2, 18)), kind, generation: payload.readUInt32BE(18) } };
}
