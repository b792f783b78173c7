// The key-encryption key port. The local default keeps a random 256-bit key in a file under the state
// directory (mode 0600); a KMS or HSM adapter implements the same interface.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface KeyEncryptionKey {
  /** Names the key so sealed records say which key opens them (rotation). */
  readonly keyId: string;
  readonly key: Buffer;
}

export interface KeyProvider {
  current(): Promise<KeyEncryptionKey>;
  byId(keyId: string): Promise<KeyEncryptionKey>;
}

export interface LocalFileKeyOptions {
  /**
   * Create the key file when it is missing (the sealing side). A service that only opens records
   * (the notifier) reads the file on first use instead: the sealing side may create it later.
   */
  readonly create: boolean;
}

export class LocalFileKeyProvider implements KeyProvider {
  #key: KeyEncryptionKey | undefined;

  constructor(
    private readonly file: string,
    private readonly options: LocalFileKeyOptions = { create: true },
  ) {}

  current(): Promise<KeyEncryptionKey> {
    this.#key ??= this.load();
    return Promise.resolve(this.#key);
  }

  async byId(keyId: string): Promise<KeyEncryptionKey> {
    const key = await this.current();
    if (key.keyId !== keyId) throw new Error(`key-encryption key ${keyId} is not available`);
    return key;
  }

  private load(): KeyEncryptionKey {
    if (this.options.create && !fs.existsSync(this.file)) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      try {
        // `wx` fails if another replica created the file first; then we read theirs.
        fs.writeFileSync(this.file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    const key = Buffer.from(fs.readFileSync(this.file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${this.file} does not hold a 256-bit key`);
    const keyId = `local-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
    return { keyId, key };
  }
}
