import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFileKeyProvider } from './keyProvider';
import { open, seal } from './sealedBox';

describe('credentials at rest (AES-256-GCM)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-kek-'));
  const keyFile = path.join(dir, 'secrets', 'kek');
  const keys = new LocalFileKeyProvider(keyFile);
  const plaintext = Buffer.from('-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY-----\n');

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a 256-bit key file readable by its owner only', async () => {
    await keys.current();
    expect(fs.statSync(keyFile).mode & 0o777).to.equal(0o600);
    expect(Buffer.from(fs.readFileSync(keyFile, 'utf8'), 'base64')).to.have.length(32);
  });

  it('round-trips and never stores the plaintext', async () => {
    const sealed = await seal(keys, plaintext, 'MarketA/alice/buyer');
    expect(JSON.stringify(sealed)).not.to.contain('PRIVATE KEY');
    expect((await open(keys, sealed, 'MarketA/alice/buyer')).equals(plaintext)).to.equal(true);
  });

  it('uses a fresh IV per record', async () => {
    const first = await seal(keys, plaintext, 'k');
    const second = await seal(keys, plaintext, 'k');
    expect(first.iv).not.to.equal(second.iv);
    expect(first.ct).not.to.equal(second.ct);
  });

  it("refuses a tampered ciphertext and another identity's record", async () => {
    const sealed = await seal(keys, plaintext, 'MarketA/alice/buyer');
    const bytes = Buffer.from(sealed.ct, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    await open(keys, { ...sealed, ct: bytes.toString('base64') }, 'MarketA/alice/buyer').then(
      () => expect.fail('tampered record opened'),
      (error: unknown) => expect(error).to.be.instanceOf(Error),
    );
    await open(keys, sealed, 'MarketB/bob/buyer').then(
      () => expect.fail('record opened under another identity'),
      (error: unknown) => expect(error).to.be.instanceOf(Error),
    );
  });

  it('refuses a record sealed under another key', async () => {
    const other = new LocalFileKeyProvider(path.join(dir, 'other-kek'));
    const sealed = await seal(other, plaintext, 'k');
    await open(keys, sealed, 'k').then(
      () => expect.fail('opened with the wrong key'),
      (error: unknown) => expect((error as Error).message).to.contain('not available'),
    );
  });
});
