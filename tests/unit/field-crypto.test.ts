import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptField, encryptField, hashIdDocument, type FieldKeys } from '@/lib/identity/field-crypto';

const keys: FieldKeys = { encryptionKey: Buffer.alloc(32, 7), hashKey: Buffer.alloc(32, 9) };
const otherKeys: FieldKeys = { encryptionKey: Buffer.alloc(32, 8), hashKey: Buffer.alloc(32, 10) };

const rawOf = (stored: string) => Buffer.from(stored.slice(3), 'base64url');
const storedOf = (raw: Buffer) => `v1.${raw.toString('base64url')}`;

describe('field encryption', () => {
  it('round-trips CJK names, ID numbers and arbitrary text', () => {
    for (const plain of ['张三丰', '阿依古丽·买买提', '𠀀𪚥', '440106199001011234', 'ZHANG SAN', '', 'é\u0301']) {
      expect(decryptField(keys, encryptField(keys, plain))).toBe(plain);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (plain) => {
        expect(decryptField(keys, encryptField(keys, plain))).toBe(plain);
      }),
      { numRuns: 300 },
    );
  });

  it('gives a different ciphertext each time, never containing the plaintext', () => {
    const plain = '440106199001011234';
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const c = encryptField(keys, plain);
      expect(c.startsWith('v1.')).toBe(true);
      expect(c).not.toContain(plain);
      expect(c).not.toContain(plain.slice(6, 14));
      expect(rawOf(c).toString('utf8')).not.toContain(plain);
      expect(c).not.toContain(Buffer.from(plain).toString('base64url').slice(0, 12));
      seen.add(c);
    }
    expect(seen.size).toBe(50);
    const name = encryptField(keys, '张三丰');
    expect(name).not.toContain('张');
    expect(rawOf(name).toString('utf8')).not.toContain('张三丰');
  });

  it('refuses a tampered ciphertext: any byte of IV, tag or body flipped', () => {
    const stored = encryptField(keys, '张三丰 440106199001011234');
    const raw = rawOf(stored);
    for (let i = 0; i < raw.length; i++) {
      const copy = Buffer.from(raw);
      copy[i] ^= 0x01;
      expect(() => decryptField(keys, storedOf(copy)), `byte ${i}`).toThrow();
    }
  });

  it('refuses truncated, extended, re-versioned or garbage values, and the wrong key', () => {
    const stored = encryptField(keys, '张三丰');
    const raw = rawOf(stored);
    for (const n of [0, 5, 12, 20, 28, raw.length - 1])
      expect(() => decryptField(keys, storedOf(raw.subarray(0, n))), `cut ${n}`).toThrow();
    expect(() => decryptField(keys, storedOf(Buffer.concat([raw, Buffer.from([0])])))).toThrow();
    expect(() => decryptField(keys, `v2.${stored.slice(3)}`)).toThrow();
    expect(() => decryptField(keys, stored.slice(3))).toThrow();
    expect(() => decryptField(keys, '')).toThrow();
    expect(() => decryptField(keys, 'v1.')).toThrow();
    expect(() => decryptField(otherKeys, stored)).toThrow();
    // A value moved from another row still decrypts (no row binding), but the stored form must differ per write.
    expect(decryptField(keys, stored)).toBe('张三丰');
  });

  it('refuses random single-character edits of the stored text unless the bytes are unchanged', () => {
    const stored = encryptField(keys, '阿依古丽·买买提');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.integer({ min: 3, max: stored.length - 1 }), fc.constantFrom(...alphabet.split('')), (i, c) => {
        fc.pre(stored[i] !== c);
        const edited = stored.slice(0, i) + c + stored.slice(i + 1);
        // The last base64url character carries unused bits; an edit of only those leaves the bytes as they were.
        if (rawOf(edited).equals(rawOf(stored))) return;
        expect(() => decryptField(keys, edited)).toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('ID document hash', () => {
  const doc = { idType: 'cn_resident', idNumber: '440106199001011234' };

  it('is stable and not the number itself', () => {
    const h = hashIdDocument(keys, doc);
    expect(hashIdDocument(keys, { ...doc })).toBe(h);
    expect(hashIdDocument(keys, { ...doc, nationality: null })).toBe(h);
    expect(h).toMatch(/^[\w-]{43}$/);
    expect(h).not.toContain(doc.idNumber);
  });

  it('differs by type, number and key', () => {
    const h = hashIdDocument(keys, doc);
    expect(hashIdDocument(keys, { ...doc, idType: 'taiwan_permit' })).not.toBe(h);
    expect(hashIdDocument(keys, { ...doc, idNumber: '440106199001011242' })).not.toBe(h);
    expect(hashIdDocument(otherKeys, doc)).not.toBe(h);
    // Only the hash key matters: a new encryption key keeps documents findable.
    expect(hashIdDocument({ encryptionKey: otherKeys.encryptionKey, hashKey: keys.hashKey }, doc)).toBe(h);
  });

  it('includes the nationality for passports only', () => {
    const p = { idType: 'passport', idNumber: 'E12345678' };
    expect(hashIdDocument(keys, { ...p, nationality: 'USA' })).not.toBe(hashIdDocument(keys, { ...p, nationality: 'GBR' }));
    expect(hashIdDocument(keys, { ...p, nationality: 'USA' })).toBe(hashIdDocument(keys, { ...p, nationality: 'USA' }));
    expect(hashIdDocument(keys, { ...p, nationality: 'USA' })).not.toBe(hashIdDocument(keys, { ...p, nationality: null }));
    // A resident ID's hash ignores a stray nationality.
    expect(hashIdDocument(keys, { ...doc, nationality: 'USA' })).toBe(hashIdDocument(keys, doc));
  });

  it('does not collide across type/number boundaries', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{5,17}$/), fc.stringMatching(/^[A-Z0-9]{5,17}$/), (a, b) => {
        fc.pre(a !== b);
        expect(hashIdDocument(keys, { idType: 'passport', idNumber: a, nationality: 'USA' })).not.toBe(
          hashIdDocument(keys, { idType: 'passport', idNumber: b, nationality: 'USA' }),
        );
      }),
      { numRuns: 200 },
    );
  });
});
