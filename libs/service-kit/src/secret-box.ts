import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypts and decrypts short secrets at rest (store API keys, webhook secrets, ERP tokens, provider keys) with
 * AES-256-GCM. The output is `v1:` + base64(iv | tag | ciphertext); a fresh 12-byte IV per value, so equal secrets
 * never look equal. `keyVariable` names the setting the key comes from, for the error an operator sees.
 */
export class SecretBox {
  constructor(
    private readonly key: Buffer,
    keyVariable = 'the secrets key',
  ) {
    if (key.length !== 32) throw new Error(`SecretBox needs a 32-byte key (${keyVariable}); got ${key.length} bytes`);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
  }

  /** Throws when the value was sealed with another key or altered (GCM authenticates it). */
  open(sealed: string): string {
    if (!sealed.startsWith('v1:')) throw new Error('not a sealed secret (expected the v1: prefix)');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
