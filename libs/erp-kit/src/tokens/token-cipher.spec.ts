import { randomBytes } from 'node:crypto';
import { LedgerlineError } from '../errors/ledgerline.error';
import { TokenCipher } from './token-cipher';

const key = () => randomBytes(32).toString('base64');

function thrown(fn: () => unknown): LedgerlineError {
  try {
    fn();
  } catch (err) {
    return err as LedgerlineError;
  }
  throw new Error('expected a throw');
}

describe('TokenCipher', () => {
  const k1 = { id: 'k1', key: key() };
  const k2 = { id: 'k2', key: key() };

  it('opens what it sealed, with a fresh IV every time and the key id alongside', () => {
    const cipher = new TokenCipher({ current: k1 });
    const a = cipher.seal(Buffer.from('secret-refresh-token'), 'conn-1');
    const b = cipher.seal(Buffer.from('secret-refresh-token'), 'conn-1');
    expect(a.keyId).toBe('k1');
    expect(a.sealed.equals(b.sealed)).toBe(false);
    expect(a.sealed.includes(Buffer.from('secret-refresh-token'))).toBe(false);
    expect(cipher.open(a, 'conn-1').toString()).toBe('secret-refresh-token');
  });

  it('refuses a ciphertext moved to another connection or tampered with', () => {
    const cipher = new TokenCipher({ current: k1 });
    const sealed = cipher.seal(Buffer.from('token'), 'conn-1');
    expect(thrown(() => cipher.open(sealed, 'conn-2')).code).toBe('TOKEN_CIPHERTEXT_INVALID');
    const flipped = Buffer.from(sealed.sealed);
    flipped[flipped.length - 1] ^= 1;
    expect(thrown(() => cipher.open({ keyId: 'k1', sealed: flipped }, 'conn-1')).code).toBe('TOKEN_CIPHERTEXT_INVALID');
  });

  it('reads data sealed with a previous key after rotation and seals new data with the current one', () => {
    const old = new TokenCipher({ current: k1 }).seal(Buffer.from('token'), 'conn-1');
    const rotated = new TokenCipher({ current: k2, previous: [k1] });
    expect(rotated.open(old, 'conn-1').toString()).toBe('token');
    expect(rotated.isStale(old.keyId)).toBe(true);
    expect(rotated.seal(Buffer.from('token'), 'conn-1').keyId).toBe('k2');
    expect(thrown(() => new TokenCipher({ current: k2 }).open(old, 'conn-1'))).toMatchObject({ code: 'TOKEN_KEY_UNKNOWN', kind: 'permanent' });
  });

  it('fails at construction listing every bad key', () => {
    const err = thrown(() => new TokenCipher({ current: { id: 'k1', key: randomBytes(16).toString('base64') }, previous: [{ id: 'bad id', key: key() }, { id: 'k3', key: 'not base64!' }] }));
    expect(err.code).toBe('CONFIG_TOKEN_KEY_INVALID');
    expect(err.operatorMessage).toContain('current key "k1": key must be 32 bytes in base64');
    expect(err.operatorMessage).toContain('got 16 bytes');
    expect(err.operatorMessage).toContain('previous key #1: id must be 1-64 letters');
    expect(err.operatorMessage).toContain('previous key #2 "k3": key must be 32 bytes');
  });
});
