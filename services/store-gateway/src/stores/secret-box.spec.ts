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

  it('refuses a value sealed with another key', () => {
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(box.seal('x'))).toThrow();
  });
});
