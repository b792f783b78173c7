import { LocalFileKeyProvider } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newWebhookSecret, openWebhookSecret, sealWebhookSecret } from './webhookSecrets';

describe('webhook secrets at rest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-secrets-'));
  const keyFile = path.join(dir, 'kek');
  // The gateway seals (and creates the key file); the notifier only opens.
  const gatewayKeys = new LocalFileKeyProvider(keyFile);
  const notifierKeys = new LocalFileKeyProvider(keyFile, { create: false });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens on the notifier’s side what the gateway sealed for the same subscription', async () => {
    const secret = newWebhookSecret();
    const stored = await sealWebhookSecret(gatewayKeys, '42', secret);
    expect(stored).not.to.contain(secret.slice('whsec_'.length));
    expect(await openWebhookSecret(notifierKeys, 42n, stored)).to.equal(secret);
  });

  it('refuses a secret copied onto another subscription’s row', async () => {
    const stored = await sealWebhookSecret(gatewayKeys, '42', newWebhookSecret());
    await openWebhookSecret(notifierKeys, '43', stored).then(
      () => expect.fail('opened under another subscription'),
      (error: unknown) => expect(error).to.be.instanceOf(Error),
    );
  });

  it('refuses a stored value that is not a sealed record', async () => {
    await openWebhookSecret(notifierKeys, '42', 'whsec_plain').then(
      () => expect.fail('opened a plain value'),
      (error: unknown) => expect((error as Error).message).to.contain('not a sealed record'),
    );
  });

  it('does not create the key file on the opening side', async () => {
    const missing = new LocalFileKeyProvider(path.join(dir, 'absent-kek'), { create: false });
    const stored = await sealWebhookSecret(gatewayKeys, '7', newWebhookSecret());
    await openWebhookSecret(missing, '7', stored).then(
      () => expect.fail('opened without a key file'),
      (error: unknown) => expect((error as NodeJS.ErrnoException).code).to.equal('ENOENT'),
    );
    expect(fs.existsSync(path.join(dir, 'absent-kek'))).to.equal(false);
  });

  it('makes a fresh 256-bit secret each time', () => {
    const [first, second] = [newWebhookSecret(), newWebhookSecret()];
    expect(first).to.match(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(first).not.to.equal(second);
  });
});
