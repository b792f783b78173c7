// A key per purpose: the notifier opens webhook secrets, never a user's Fabric identity. Read from the
// running daemons' own environments through their own configuration loaders.
import { isSealedRecord, LocalFileKeyProvider, open, sealingContext } from '@p2p-escrow/fabric-client';
import { notifierConfig } from '@p2p-escrow/offchain-db';
import { gatewayDatabaseSchema, gatewayServiceName, notifierServiceName } from '@p2p-escrow/scripts';
import { as, gatewayDatabase, listRecords, uniqueEscrowId } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as fs from 'node:fs';
import { loadGatewayConfig } from '../config/gatewayConfig';
import { createPool } from '../store/postgres';
import { identityKeyOf } from './fabricRoleIdentity';

function environmentOf(service: string): Record<string, string> {
  const record = listRecords().find((candidate) => candidate.name === service);
  if (record === undefined) throw new Error(`${service} is not running`);
  return Object.fromEntries(
    fs
      .readFileSync(`/proc/${String(record.pid)}/environ`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

describe('gateway e2e: keys per purpose', function () {
  this.timeout(60_000);

  it("gives the notifier a key that cannot open a user's sealed Fabric identity", async () => {
    // Reading an escrow from the ledger as alice enrolls her buyer identity, sealed with the identity key.
    const read = await as('alice', 'GET', `/v1/escrows/${uniqueEscrowId('keys', 'e2e')}`);
    expect(read.status, read.text).to.equal(404);
    const identityKey = identityKeyOf({ org: 'MarketA', userId: 'alice', role: 'buyer' });
    const pool = createPool(gatewayDatabase());
    const { rows } = await pool
      .query<{
        sealed: unknown;
      }>(`SELECT sealed FROM ${gatewayDatabaseSchema('MarketA')}.fabric_identities WHERE identity_key = $1`, [
        identityKey,
      ])
      .finally(() => pool.end());
    const sealed = rows[0]?.sealed;
    if (!isSealedRecord(sealed)) return expect.fail(`no sealed identity for ${identityKey}`);
    const context = sealingContext('fabric-identity', identityKey);

    const gateway = loadGatewayConfig(environmentOf(gatewayServiceName('MarketA')));
    const identityKeys = new LocalFileKeyProvider(gateway.keyEncryptionKeyFiles.identity, { create: false });
    expect(JSON.parse((await open(identityKeys, sealed, context)).toString('utf8'))).to.have.property(
      'privateKeyPem',
    );

    const notifierEnvironment = environmentOf(notifierServiceName);
    expect(Object.values(notifierEnvironment)).to.not.include(gateway.keyEncryptionKeyFiles.identity);
    const notifier = notifierConfig(notifierEnvironment);
    expect(notifier.keyEncryptionKeyFile).to.equal(gateway.keyEncryptionKeyFiles.webhook);
    const notifierKeys = new LocalFileKeyProvider(notifier.keyEncryptionKeyFile, { create: false });
    let opened = false;
    await open(notifierKeys, sealed, context).then(
      () => (opened = true),
      () => undefined,
    );
    expect(opened, "the notifier's key opened a Fabric identity").to.equal(false);
  });
});
