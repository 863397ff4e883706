import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 1));

  it('round-trips a secret and never produces the same ciphertext twice', () => {
    const a = box.seal('cs_secret');
    expect(a).toMatch(/^v1:/);
    expect(a).not.toContain('cs_secret');
    expect(box.seal('cs_secret')).not.toBe(a);
    expect(box.open(a)).toBe('cs_secret');
  });

  it('refuses a value sealed with another key, an altered value and a short key naming its setting', () => {
    const sealed = box.seal('x');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    const altered = `v1:${raw.toString('base64')}`;

    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed)).toThrow();
    expect(() => box.open(altered)).toThrow();
    expect(() => new SecretBox(Buffer.alloc(16), 'STORE_GATEWAY_SECRETS_KEY')).toThrow('SecretBox needs a 32-byte key (STORE_GATEWAY_SECRETS_KEY); got 16 bytes');
  });
});
