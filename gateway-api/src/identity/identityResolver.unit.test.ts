import { LocalFileKeyProvider, open, seal, sealingContext } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EnrolledCredentials, Enroller } from './caEnroller';
import type { FabricRoleIdentity } from './fabricRoleIdentity';
import { ForbiddenError } from '../errors/apiError';
import { IdentityResolver } from './identityResolver';
import type { IdentityStore, StoredIdentity } from './identityStore';

class MemoryStore implements IdentityStore {
  readonly rows = new Map<string, StoredIdentity>();
  #tail = new Map<string, Promise<unknown>>();
  /** One at a time per identity, as the PostgreSQL advisory lock does across processes. */
  exclusive<T>(identityKey: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tail.get(identityKey) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.#tail.set(
      identityKey,
      next.catch(() => undefined),
    );
    return next;
  }
  find(identityKey: string) {
    return Promise.resolve(this.rows.get(identityKey));
  }
  save(identity: StoredIdentity) {
    this.rows.set(identity.identityKey, identity);
    return Promise.resolve();
  }
}

class CountingEnroller implements Enroller {
  calls = 0;
  async enroll(identity: FabricRoleIdentity): Promise<EnrolledCredentials> {
    this.calls += 1;
    await new Promise((resolve) => setTimeout(resolve, 20));
    return {
      mspId: `${identity.org}MSP`,
      certificatePem: `cert-${identity.userId}`,
      privateKeyPem: 'PRIVATE-KEY-PEM',
    };
  }
}

describe('user → Fabric identity', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-ids-'));
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('enrolls once for concurrent first calls, seals the key, and audits the enrollment', async () => {
    const store = new MemoryStore();
    const enroller = new CountingEnroller();
    const audited: string[] = [];
    const resolver = new IdentityResolver(
      'MarketA',
      store,
      enroller,
      new LocalFileKeyProvider(path.join(dir, 'kek')),
      {
        enrolled: (identity) => audited.push(`${identity.org}/${identity.userId}/${identity.role}`),
      },
    );
    const alice = { org: 'MarketA', userId: 'alice', role: 'buyer' };
    const callers = await Promise.all(Array.from({ length: 10 }, () => resolver.resolve(alice)));
    expect(enroller.calls).to.equal(1);
    expect(audited).to.deep.equal(['MarketA/alice/buyer']);
    expect(new Set(callers.map((caller) => caller.identityKey))).to.have.length(1);
    expect(callers[0]?.credentials.privateKeyPem).to.equal('PRIVATE-KEY-PEM');
    const row = store.rows.get('MarketA/alice/buyer');
    expect(JSON.stringify(row)).not.to.contain('PRIVATE-KEY-PEM');
  });

  it('enrolls once when two replicas (two resolvers, one store) resolve a new identity at once', async () => {
    const store = new MemoryStore();
    const keys = new LocalFileKeyProvider(path.join(dir, 'kek3'));
    const enroller = new CountingEnroller();
    const replicas = [1, 2].map(
      () => new IdentityResolver('MarketB', store, enroller, keys, { enrolled: () => undefined }),
    );
    const bob = { org: 'MarketB', userId: 'bob', role: 'buyer' };
    const callers = await Promise.all(replicas.map((replica) => replica.resolve(bob)));
    expect(enroller.calls).to.equal(1);
    expect(callers.map((caller) => caller.credentials.certificatePem)).to.deep.equal([
      'cert-bob',
      'cert-bob',
    ]);
  });

  it('reuses a stored identity after a restart without enrolling again', async () => {
    const store = new MemoryStore();
    const keys = new LocalFileKeyProvider(path.join(dir, 'kek2'));
    const first = new CountingEnroller();
    await new IdentityResolver('MarketB', store, first, keys, { enrolled: () => undefined }).resolve({
      org: 'MarketB',
      userId: 'bea',
      role: 'seller',
    });
    const second = new CountingEnroller();
    const caller = await new IdentityResolver('MarketB', store, second, keys, {
      enrolled: () => undefined,
    }).resolve({
      org: 'MarketB',
      userId: 'bea',
      role: 'seller',
    });
    expect(second.calls).to.equal(0);
    expect(caller.credentials.certificatePem).to.equal('cert-bea');
  });

  it('seals each identity for its own key: a row copied onto another identity does not open', async () => {
    const store = new MemoryStore();
    const keys = new LocalFileKeyProvider(path.join(dir, 'kek4'));
    await new IdentityResolver('MarketA', store, new CountingEnroller(), keys, {
      enrolled: () => undefined,
    }).resolve({
      org: 'MarketA',
      userId: 'alice',
      role: 'buyer',
    });
    const row = store.rows.get('MarketA/alice/buyer')!;
    const opened = await open(keys, row.sealed, sealingContext('fabric-identity', 'MarketA/alice/buyer'));
    expect(JSON.parse(opened.toString('utf8'))).to.include({ certificatePem: 'cert-alice' });
    store.rows.set('MarketA/mallory/buyer', { ...row, identityKey: 'MarketA/mallory/buyer' });
    const enroller = new CountingEnroller();
    await new IdentityResolver('MarketA', store, enroller, keys, { enrolled: () => undefined })
      .resolve({ org: 'MarketA', userId: 'mallory', role: 'buyer' })
      .then(
        () => expect.fail('a sealed identity opened under another identity key'),
        (error: unknown) => expect(error).to.be.instanceOf(Error),
      );
    expect(enroller.calls).to.equal(0);
  });

  it('opens an identity sealed under the bare identity key (earlier versions) and seals it again', async () => {
    const store = new MemoryStore();
    const keys = new LocalFileKeyProvider(path.join(dir, 'kek5'));
    const credentials = { mspId: 'MarketAMSP', certificatePem: 'cert-amir', privateKeyPem: 'KEY' };
    const plaintext = Buffer.from(JSON.stringify(credentials), 'utf8');
    const identityKey = 'MarketA/amir/seller';
    store.rows.set(identityKey, {
      identityKey,
      mspId: 'MarketAMSP',
      sealed: await seal(keys, plaintext, identityKey),
      enrolledAt: new Date(),
    });
    const enroller = new CountingEnroller();
    const caller = await new IdentityResolver('MarketA', store, enroller, keys, {
      enrolled: () => undefined,
    }).resolve({
      org: 'MarketA',
      userId: 'amir',
      role: 'seller',
    });
    expect(enroller.calls).to.equal(0);
    expect(caller.credentials.certificatePem).to.equal('cert-amir');
    const resealed = store.rows.get(identityKey)!.sealed;
    expect(
      (await open(keys, resealed, sealingContext('fabric-identity', identityKey))).equals(plaintext),
    ).to.equal(true);
  });

  describe('a gateway acts for its own org, in the roles that org issues', () => {
    const keys = new LocalFileKeyProvider(path.join(dir, 'kek-org'));
    const resolverOf = (organization: string, enroller: Enroller) =>
      new IdentityResolver(organization, new MemoryStore(), enroller, keys, { enrolled: () => undefined });

    async function refusal(organization: string, identity: FabricRoleIdentity) {
      const enroller = new CountingEnroller();
      const error = await resolverOf(organization, enroller)
        .resolve(identity)
        .then(
          () => expect.fail('resolved'),
          (caught: unknown) => caught as ForbiddenError,
        );
      expect(enroller.calls, 'enrolled before refusing').to.equal(0);
      return error;
    }

    it("MarketA's gateway refuses to enroll an arbiter, Oversight's a buyer (ROLE_NOT_ISSUED)", async () => {
      for (const [organization, identity] of [
        ['MarketA', { org: 'MarketA', userId: 'mallory', role: 'arbiter' }],
        ['MarketA', { org: 'MarketA', userId: 'mallory', role: 'auditor' }],
        ['Oversight', { org: 'Oversight', userId: 'mallory', role: 'buyer' }],
        ['Oversight', { org: 'Oversight', userId: 'mallory', role: 'payments' }],
      ] as const) {
        const error = await refusal(organization, identity);
        expect(error).to.be.instanceOf(ForbiddenError);
        expect([error.status, error.code]).to.deep.equal([403, 'ROLE_NOT_ISSUED']);
      }
    });

    it("refuses another org's user (ORGANIZATION_NOT_SERVED) before looking it up", async () => {
      const error = await refusal('MarketA', { org: 'MarketB', userId: 'bob', role: 'buyer' });
      expect([error.status, error.code]).to.deep.equal([403, 'ORGANIZATION_NOT_SERVED']);
    });

    it('resolves its own org in the roles it issues', async () => {
      const enroller = new CountingEnroller();
      await resolverOf('Oversight', enroller).resolve({
        org: 'Oversight',
        userId: 'olivia',
        role: 'arbiter',
      });
      await resolverOf('MarketB', enroller).resolve({ org: 'MarketB', userId: 'bob', role: 'buyer' });
      expect(enroller.calls).to.equal(2);
    });
  });
});
