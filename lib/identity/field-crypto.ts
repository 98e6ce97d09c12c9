import 'server-only';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { env } from '@/lib/env';

// ID numbers and names are stored so that a database dump alone does not reveal them: AES-256-GCM
// with a key from configuration, plus a keyed hash (HMAC-SHA256 under a second key) for uniqueness
// and look-up, so finding a document never needs decryption.

export type FieldKeys = { encryptionKey: Buffer; hashKey: Buffer };

export function fieldKeysFromEnv(): FieldKeys {
  const e = env();
  return { encryptionKey: Buffer.from(e.IDENTITY_ENCRYPTION_KEY, 'base64'), hashKey: Buffer.from(e.IDENTITY_HASH_KEY, 'base64') };
}

export function encryptField(keys: FieldKeys, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.encryptionKey, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

export function decryptField(keys: FieldKeys, stored: string): string {
  const [version, data] = stored.split('.');
  if (version !== 'v1' || !data) throw new Error('unknown field encryption version');
  const raw = Buffer.from(data, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keys.encryptionKey, raw.subarray(0, 12), { authTagLength: 16 });
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/**
 * The look-up key of an ID document: type, normalised number and (passports, whose numbers are only
 * unique within a country) nationality, under the hash key.
 */
export function hashIdDocument(keys: FieldKeys, doc: { idType: string; idNumber: string; nationality?: string | null }): string {
  const number = doc.idType === 'passport' ? `${doc.nationality ?? ''}/${doc.idNumber}` : doc.idNumber;
  return createHmac('sha256', keys.hashKey).update(`${doc.idType}:${number}`).digest('base64url');
}
