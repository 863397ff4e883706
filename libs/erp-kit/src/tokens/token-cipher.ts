import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { LedgerlineError } from '../errors/ledgerline.error';

/** One encryption key as the service config hands it over: an id and 32 bytes in base64. */
export interface TokenKey {
  /** Stored next to every ciphertext, so old rows stay readable after the current key changes. */
  id: string;
  /** 32 random bytes, base64 (`openssl rand -base64 32`). */
  key: string;
}

/** The keys of a {@link TokenCipher}: the one new data is sealed with, and older ones still accepted for reading. */
export interface TokenKeyring {
  current: TokenKey;
  previous?: TokenKey[];
}

/** Sealed data: the id of the key, and `iv (12) || tag (16) || ciphertext`. */
export interface Sealed {
  keyId: string;
  sealed: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * AES-256-GCM with key rotation for secrets at rest. Each value gets a fresh random IV and is authenticated together
 * with an `aad` string (the row's key, e.g. the connection id), so a ciphertext copied to another row fails to open.
 */
export class TokenCipher {
  private readonly keys = new Map<string, Buffer>();
  /** The id new data is sealed with. */
  readonly currentKeyId: string;
  private readonly currentKey: Buffer;

  /**
   * Validates every key at once and throws one error listing every problem (code `CONFIG_TOKEN_KEY_INVALID`), so a
   * service with a bad key fails at boot, not at the first refresh.
   */
  constructor(keyring: TokenKeyring) {
    const problems: string[] = [];
    const all = [keyring.current, ...(keyring.previous ?? [])];
    for (const [i, k] of all.entries()) {
      const where = i === 0 ? 'current key' : `previous key #${i}`;
      if (!k || typeof k.id !== 'string' || !KEY_ID.test(k.id)) {
        problems.push(`${where}: id must be 1-64 letters, digits, ".", "_" or "-" (got ${JSON.stringify(k?.id)})`);
        continue;
      }
      const bytes = typeof k.key === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(k.key.trim()) ? Buffer.from(k.key.trim(), 'base64') : Buffer.alloc(0);
      if (bytes.length !== 32) {
        problems.push(`${where} "${k.id}": key must be 32 bytes in base64 (44 characters, e.g. from \`openssl rand -base64 32\`), got ${bytes.length} bytes`);
      } else if (this.keys.has(k.id)) {
        problems.push(`${where}: id "${k.id}" is used twice`);
      } else {
        this.keys.set(k.id, bytes);
      }
    }
    if (problems.length > 0) {
      throw new LedgerlineError({
        code: 'CONFIG_TOKEN_KEY_INVALID',
        kind: 'permanent',
        operatorMessage: `The token encryption keys are not usable: ${problems.join('; ')}. Fix the key settings of the service (see its config) and restart.`,
      });
    }
    this.currentKeyId = keyring.current.id;
    this.currentKey = this.keys.get(keyring.current.id) as Buffer;
  }

  /** Returns `plaintext` sealed with the current key, bound to `aad`. */
  seal(plaintext: Buffer, aad: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.currentKey, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: this.currentKeyId, sealed: Buffer.concat([iv, cipher.getAuthTag(), body]) };
  }

  /**
   * Returns the plaintext of `sealed`. Throws a permanent `TOKEN_KEY_UNKNOWN` when its key is not configured, and
   * `TOKEN_CIPHERTEXT_INVALID` when it does not authenticate (tampered, wrong row, or wrong key under that id).
   */
  open({ keyId, sealed }: Sealed, aad: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) {
      throw new LedgerlineError({
        code: 'TOKEN_KEY_UNKNOWN',
        kind: 'permanent',
        operatorMessage: `Stored ERP tokens are encrypted with key "${keyId}", which this service is not configured with. Add it back as a previous token key, restart, and replay.`,
      });
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch (cause) {
      throw new LedgerlineError({
        code: 'TOKEN_CIPHERTEXT_INVALID',
        kind: 'permanent',
        operatorMessage: `Stored ERP tokens (key "${keyId}") could not be decrypted: they were changed, copied from another connection, or the key under that id is different. Re-authorise the connection in the console.`,
        cause,
      });
    }
  }

  /** Tells whether data sealed with `keyId` should be sealed again with the current key. */
  isStale(keyId: string): boolean {
    return keyId !== this.currentKeyId;
  }
}
