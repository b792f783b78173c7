// The contract class against an in-memory ledger: what it stores, which endorsement policy
// and event it sets, and that a refusal writes nothing. Rules themselves are tested in the
// state-machine suites; real endorsement and private data are proven on the live network.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { decodePolicy, allOf, anyOf, member } from '../ledger/endorsementPolicy';
import { privateDetailsHashOf } from '../privateData/privateDetails';
import { newResponseKey, openSealedResult } from '../privateData/sealedResult';
import { CLOCK_SKEW_ENV } from '../time/clockSkew';
import { CALLERS, foundedLedger, requestJson } from '../testing/contractFixtures';
import { type Caller, FakeLedger, type SubmitOptions } from '../testing/fakeLedger';
import { expectRejection } from '../testing/escrowFixtures';
import { TEST_TERMS_SALT, withPositionalSubmits } from '../testing/transientCalls';
import { escrowVersionFromBytes } from './termsRecord';
import { EscrowContract } from './escrowContract';

const ID = CALLERS;
const DETAILS = JSON.stringify({
  salt: '0123456789abcdef0123456789abcdef',
  shippingAddress: { street: '1 Main St', city: 'Lyon' },
  contact: 'alice@example.org',
});

function request(seller?: { marketplace: string; userId: string }): string {
  return requestJson(seller === undefined ? {} : { seller });
}

const textHash = createHash('sha256').update('great seller').digest('hex');

const ESCROW_KEY = (escrowId: string): string => `\u0000escrow\u0000${escrowId}\u0000`;
const VERSION_KEY = (escrowId: string, txId: string): string =>
  `\u0000escrow~version\u0000${escrowId}\u0000${txId}\u0000`;

function ids(page: Record<string, unknown>): unknown[] {
  return (page.records as { escrowId: string }[]).map((record) => record.escrowId);
}

/** The keys of the personal-data collections (the terms collections hold the records). */
function personalData(ledger: FakeLedger): string[] {
  return [...ledger.privateData.keys()].filter((key) => key.startsWith('escrowPrivate_'));
}

function parse(json: string): Record<string, unknown> {
  const value = JSON.parse(json) as unknown;
  if (typeof value !== 'object' || value === null) throw new Error('not an object');
  return value as Record<string, unknown>;
}

describe('escrow contract', () => {
  let ledger: FakeLedger;
  const contract = withPositionalSubmits(new EscrowContract());
  const as = (who: Caller, options?: SubmitOptions) => ledger.as(who, options);
  /** Keys written by the test itself, besides the registry the fixture holds. */
  const written = () => ledger.history.size - 1;

  beforeEach(async () => {
    ledger = await foundedLedger();
  });

  /** Creates the escrow declaring the details' hash, then stores them as MarketA's backend. */
  async function createWithDetails(escrowId: string): Promise<Record<string, unknown>> {
    const privateDetailsHash = privateDetailsHashOf(escrowId, JSON.parse(DETAILS));
    const created = await as(ID.marketA)((ctx) =>
      contract.createEscrow(ctx, escrowId, requestJson({ privateDetailsHash })),
    );
    await as(ID.marketA, { transient: { privateDetails: DETAILS } })((ctx) =>
      contract.putPrivateDetails(ctx, escrowId),
    );
    return parse(created);
  }

  async function readDetails(who: Caller, escrowId: string): Promise<Record<string, unknown>> {
    const responseKey = newResponseKey();
    const sealed = await as(who, { transient: { responseKey } })((ctx) =>
      contract.readPrivateDetails(ctx, escrowId),
    );
    return parse(openSealedResult(responseKey, sealed));
  }

  async function lifecycle(escrowId: string): Promise<void> {
    await createWithDetails(escrowId);
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, escrowId));
    await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, escrowId, '10000', 'EUR', 'psp-1'));
    await as(ID.bea)((ctx) => contract.shipEscrow(ctx, escrowId, 'DHL', 'TRK-1'));
    await as(ID.alice)((ctx) => contract.confirmDelivery(ctx, escrowId));
    await as(ID.alice)((ctx) => contract.releaseEscrow(ctx, escrowId));
  }

  it('runs a lifecycle, one event per transition, and keeps every version in the history', async () => {
    await lifecycle('esc-1');
    await as(ID.paymentsA)((ctx) => contract.recordSettlement(ctx, 'esc-1', 'seller', 'payout-1'));
    expect(ledger.events.map((event) => event.name)).to.deep.equal([
      'EscrowCreated',
      'EscrowAccepted',
      'PaymentConfirmed',
      'Shipped',
      'DeliveryConfirmed',
      'Released',
      'SettlementRecorded',
    ]);
    expect(ledger.events[5]?.payload).to.deep.include({
      escrowId: 'esc-1',
      state: 'RELEASED',
      actor: { organization: 'MarketA', role: 'buyer' },
    });
    const released = escrowVersionFromBytes(
      ledger.privateData.get(
        `escrowTerms_MarketA_MarketB/${VERSION_KEY('esc-1', ledger.events[5]?.txId ?? '')}`,
      ) ?? new Uint8Array(),
    );
    expect(released.event.payload).to.deep.include({ state: 'RELEASED', sellerPayout: '9750', fee: '250' });
    const history = JSON.parse(await as(ID.auditor)((ctx) => contract.getHistory(ctx, 'esc-1'))) as {
      txId: string;
      escrow: { state: string };
    }[];
    expect(history.map((entry) => entry.escrow.state)).to.deep.equal([
      'PROPOSED',
      'CREATED',
      'FUNDED',
      'SHIPPED',
      'DELIVERED',
      'RELEASED',
      'RELEASED',
    ]);
    expect(history.map((entry) => entry.txId)).to.deep.equal(ledger.events.map((event) => event.txId));
  });

  it('guards the escrow key with AND(buyer org, seller org), widened when a dispute opens', async () => {
    await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-2', request()));
    const key = [...ledger.validationParameters.keys()].find((name) => name.includes('esc-2')) ?? '';
    expect(decodePolicy(ledger.validationParameters.get(key) ?? new Uint8Array())).to.deep.equal(
      allOf(member('MarketAMSP'), member('MarketBMSP')),
    );
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-2'));
    await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-2', '10000', 'EUR', 'psp-1'));
    await as(ID.bea)((ctx) => contract.shipEscrow(ctx, 'esc-2', 'DHL', 'TRK-1'));
    await as(ID.alice)((ctx) =>
      contract.disputeEscrow(ctx, 'esc-2', 'not as described', JSON.stringify(['f'.repeat(64)])),
    );
    expect(decodePolicy(ledger.validationParameters.get(key) ?? new Uint8Array())).to.deep.equal(
      anyOf(
        allOf(member('MarketAMSP'), member('MarketBMSP')),
        allOf(member('OversightMSP'), anyOf(member('MarketAMSP'), member('MarketBMSP'))),
      ),
    );
    const resolved = parse(await as(ID.arbiter)((ctx) => contract.resolveDispute(ctx, 'esc-2', '4000')));
    expect(resolved).to.include({ state: 'RESOLVED', buyerRefund: '4000', sellerPayout: '5850', fee: '150' });
  });

  it('guards a same-marketplace escrow with AND(marketplace, Oversight)', async () => {
    await as(ID.marketA)((ctx) =>
      contract.createEscrow(ctx, 'esc-3', request({ marketplace: 'MarketA', userId: 'amir' })),
    );
    const policy = [...ledger.validationParameters].find(([name]) => name.includes('esc-3'))?.[1];
    expect(decodePolicy(policy ?? new Uint8Array())).to.deep.equal(
      allOf(member('MarketAMSP'), member('OversightMSP')),
    );
  });

  it('refuses a proposal timestamped beyond the allowed clock skew, and writes nothing', async () => {
    const backdated = Date.now() - 10 * 60_000;
    await expectRejection(
      () => as(ID.marketA, { txTimeMs: backdated })((ctx) => contract.createEscrow(ctx, 'esc-4', request())),
      'CLOCK_SKEW',
    );
    await expectRejection(
      () => as(ID.marketA, { txTimeMs: backdated })((ctx) => contract.putMarker(ctx, 'm', 'v')),
      'CLOCK_SKEW',
    );
    expect(written()).to.equal(0);
  });

  it('honours ESCROW_MAX_CLOCK_SKEW_SECONDS', async () => {
    process.env[CLOCK_SKEW_ENV] = '1';
    try {
      await expectRejection(
        () =>
          as(ID.marketA, { txTimeMs: Date.now() - 5_000 })((ctx) =>
            contract.createEscrow(ctx, 'esc-5', request()),
          ),
        'CLOCK_SKEW',
      );
    } finally {
      Reflect.deleteProperty(process.env, CLOCK_SKEW_ENV);
    }
  });

  it('leaves state unchanged when a refused actor tries to move money', async () => {
    await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-6', request()));
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-6'));
    const before = [...ledger.history.entries()].map(([key, versions]) => [key, versions.length]);
    await expectRejection(
      () => as(ID.paymentsB)((ctx) => contract.fundEscrow(ctx, 'esc-6', '10000', 'EUR', 'psp-x')),
      'FORBIDDEN_ACTOR',
    );
    await expectRejection(
      () => as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-6', '1', 'EUR', 'psp-x')),
      'INVALID_INPUT',
    );
    await expectRejection(
      () => as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'nope', '1', 'EUR', 'psp-x')),
      'ESCROW_NOT_FOUND',
    );
    expect([...ledger.history.entries()].map(([key, versions]) => [key, versions.length])).to.deep.equal(
      before,
    );
    expect(ledger.events).to.have.length(2);
  });

  it('refuses fund by a payments identity without the funding key, as a gateway registrar could enroll one', async () => {
    await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-fk', request()));
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-fk'));
    const enrolledByGateway: Caller = {
      mspId: 'MarketAMSP',
      attributes: { role: 'payments', userId: 'marketa-backend', marketplace: 'MarketA' },
    };
    await expectRejection(
      () => as(enrolledByGateway)((ctx) => contract.fundEscrow(ctx, 'esc-fk', '10000', 'EUR', 'psp-fk')),
      'FORBIDDEN_ACTOR',
    );
    const funded = await as(ID.paymentsA)((ctx) =>
      contract.fundEscrow(ctx, 'esc-fk', '10000', 'EUR', 'psp-fk'),
    );
    expect(JSON.parse(funded)).to.include({ state: 'FUNDED' });
  });

  it('refuses callers without valid identity attributes', async () => {
    const spoof = {
      mspId: 'MarketAMSP',
      attributes: { role: 'buyer', userId: 'bob', marketplace: 'MarketB' },
    };
    await expectRejection(() => as(spoof)((ctx) => contract.readEscrow(ctx, 'esc-1')), 'INVALID_IDENTITY');
    await expectRejection(
      () => as({ mspId: 'MarketAMSP', attributes: {} })((ctx) => contract.createEscrow(ctx, 'x', request())),
      'INVALID_IDENTITY',
    );
  });

  it('refuses oversize and malformed arguments', async () => {
    await expectRejection(
      () => as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-7', 'x'.repeat(20_000))),
      'INPUT_TOO_LARGE',
    );
    await expectRejection(
      () => as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-7', '{not json')),
      'INVALID_INPUT',
    );
    await expectRejection(
      () => as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'bad id', request())),
      'INVALID_INPUT',
    );
    await expectRejection(
      () =>
        as(ID.marketA, { transient: { privateDetails: '{"salt":"short"}' } })((ctx) =>
          contract.createEscrow(ctx, 'esc-7', request()),
        ),
      'INVALID_INPUT',
    );
  });

  it('aborts with INVARIANT_VIOLATION rather than write a split that does not add up', async () => {
    await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-8', request()));
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-8'));
    await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-8', '10000', 'EUR', 'psp-1'));
    const key = `escrowTerms_MarketA_MarketB/${ESCROW_KEY('esc-8')}`;
    const stored = parse(Buffer.from(ledger.privateData.get(key) ?? new Uint8Array()).toString('utf8'));
    ledger.privateData.set(key, Buffer.from(JSON.stringify({ ...stored, fee: '1' })));
    await expectRejection(
      () => as(ID.bea)((ctx) => contract.shipEscrow(ctx, 'esc-8', 'DHL', 'TRK-1')),
      'INVARIANT_VIOLATION',
    );
  });

  describe('private details', () => {
    it('stores them through putPrivateDetails in the parties’ collection, under the members’ own policy', async () => {
      const created = await createWithDetails('esc-9');
      expect(JSON.stringify(created)).not.to.contain('Main St');
      expect(created.privateDetails).to.include({
        collection: 'escrowPrivate_MarketA_MarketB',
        hash: privateDetailsHashOf('esc-9', JSON.parse(DETAILS)),
        erasedAt: null,
      });
      const [privateKey] = personalData(ledger);
      expect(privateKey).to.match(/^escrowPrivate_MarketA_MarketB\//);
      const policy = ledger.validationParameters.get(privateKey ?? '');
      expect(decodePolicy(policy ?? new Uint8Array())).to.deep.equal(
        allOf(member('MarketAMSP'), member('MarketBMSP')),
      );
      for (const key of ledger.history.keys())
        expect(Buffer.from(ledger.get(key) ?? []).toString()).not.to.contain('Main St');

      expect(await readDetails(ID.bea, 'esc-9')).to.deep.include({
        shippingAddress: { street: '1 Main St', city: 'Lyon' },
        hashMatches: true,
      });
      await expectRejection(() => readDetails(ID.auditor, 'esc-9'), 'FORBIDDEN_ACTOR');
    });

    it('refuses personal data on the create itself, whose endorsers may be outside the collection', async () => {
      await expectRejection(
        () =>
          as(ID.marketA, { transient: { privateDetails: DETAILS } })((ctx) =>
            contract.createEscrow(ctx, 'esc-13', request()),
          ),
        'INVALID_INPUT',
      );
      expect(personalData(ledger)).to.deep.equal([]);
    });

    it('putPrivateDetails stores only the declared data, for the parties’ marketplaces only', async () => {
      const privateDetailsHash = privateDetailsHashOf('esc-14', JSON.parse(DETAILS));
      await as(ID.marketA)((ctx) =>
        contract.createEscrow(ctx, 'esc-14', requestJson({ privateDetailsHash })),
      );
      const other = JSON.stringify({ ...JSON.parse(DETAILS), contact: 'mallory@example.org' });
      await expectRejection(
        () =>
          as(ID.marketA, { transient: { privateDetails: other } })((ctx) =>
            contract.putPrivateDetails(ctx, 'esc-14'),
          ),
        'INVALID_INPUT',
      );
      await expectRejection(
        () => as(ID.marketA)((ctx) => contract.putPrivateDetails(ctx, 'esc-14')),
        'INVALID_INPUT',
      );
      for (const outsider of [ID.arbiter, ID.alice])
        await expectRejection(
          () =>
            as(outsider, { transient: { privateDetails: DETAILS } })((ctx) =>
              contract.putPrivateDetails(ctx, 'esc-14'),
            ),
          'FORBIDDEN_ACTOR',
        );
      expect(personalData(ledger)).to.deep.equal([]);
      await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-15', request()));
      await expectRejection(
        () =>
          as(ID.marketA, { transient: { privateDetails: DETAILS } })((ctx) =>
            contract.putPrivateDetails(ctx, 'esc-15'),
          ),
        'PRIVATE_DETAILS_NOT_FOUND',
      );
    });

    it('answers a read only sealed under the caller’s transient key, fresh ciphertext every time', async () => {
      await createWithDetails('esc-16');
      await expectRejection(
        () => as(ID.bea)((ctx) => contract.readPrivateDetails(ctx, 'esc-16')),
        'RESPONSE_KEY_REQUIRED',
      );
      const responseKey = newResponseKey();
      const read = (ctx: Parameters<typeof contract.readPrivateDetails>[0]) =>
        contract.readPrivateDetails(ctx, 'esc-16');
      const first = await as(ID.bea, { transient: { responseKey } })(read);
      const second = await as(ID.bea, { transient: { responseKey } })(read);
      expect(first).not.to.contain('Main St');
      expect(first).not.to.equal(second);
      expect(parse(openSealedResult(responseKey, first))).to.deep.equal(
        parse(openSealedResult(responseKey, second)),
      );
      await expectRejection(
        () => Promise.resolve(openSealedResult(newResponseKey(), first)),
        'CORRUPT_STATE',
      );
    });

    it('purges them on erasure and keeps the hash', async () => {
      await createWithDetails('esc-10');
      const erased = parse(await as(ID.adminA)((ctx) => contract.erasePrivateDetails(ctx, 'esc-10')));
      expect(erased.privateDetails).to.have.property('hash').with.length(64);
      expect(ledger.purged).to.have.length(1);
      expect(personalData(ledger)).to.deep.equal([]);
      expect(ledger.events.at(-1)?.name).to.equal('PrivateDetailsErased');
      await expectRejection(() => readDetails(ID.alice, 'esc-10'), 'PRIVATE_DETAILS_NOT_FOUND');
      await expectRejection(
        () =>
          as(ID.marketA, { transient: { privateDetails: DETAILS } })((ctx) =>
            contract.putPrivateDetails(ctx, 'esc-10'),
          ),
        'PRIVATE_DETAILS_NOT_FOUND',
      );
    });
  });

  describe('reviews and reputation', () => {
    it('lets each party review the other once after the end, and derives reputation from the reviews', async () => {
      await lifecycle('esc-11');
      await lifecycle('esc-12');
      await as(ID.alice)((ctx) => contract.postReview(ctx, 'esc-11', '5', textHash));
      await as(ID.alice)((ctx) => contract.postReview(ctx, 'esc-12', '2', textHash));
      await as(ID.bea)((ctx) => contract.postReview(ctx, 'esc-11', '4', textHash));
      await expectRejection(
        () => as(ID.alice)((ctx) => contract.postReview(ctx, 'esc-11', '1', textHash)),
        'ALREADY_REVIEWED',
      );
      await expectRejection(
        () => as(ID.amir)((ctx) => contract.postReview(ctx, 'esc-11', '1', textHash)),
        'FORBIDDEN_ACTOR',
      );
      await expectRejection(
        () => as(ID.alice)((ctx) => contract.postReview(ctx, 'esc-12', '6', textHash)),
        'INVALID_INPUT',
      );
      expect(ledger.events.filter((event) => event.name === 'ReviewPosted')).to.have.length(3);

      const bea = parse(await as(ID.auditor)((ctx) => contract.getReputation(ctx, 'MarketB', 'bea')));
      expect(bea).to.deep.include({
        reviewCount: 2,
        ratingSum: 7,
        averageRating: 3.5,
        ratingCounts: [0, 1, 0, 0, 1],
      });
      const alice = parse(await as(ID.auditor)((ctx) => contract.getReputation(ctx, 'MarketA', 'alice')));
      expect(alice).to.include({ reviewCount: 1, averageRating: 4 });
    });

    it('refuses reviews before the escrow ends', async () => {
      await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-13', request()));
      await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-13'));
      await expectRejection(
        () => as(ID.alice)((ctx) => contract.postReview(ctx, 'esc-13', '5', textHash)),
        'INVALID_STATE',
      );
    });
  });

  it('lists escrows by party, marketplace and state, a page at a time', async () => {
    for (const id of ['esc-a', 'esc-b', 'esc-c'])
      await as(ID.marketA)((ctx) => contract.createEscrow(ctx, id, request()));
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-b'));
    await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-b', '10000', 'EUR', 'psp-1'));

    const first = parse(
      await as(ID.auditor)((ctx) => contract.listEscrowsByMarketplace(ctx, 'MarketB', '2', '')),
    );
    expect(ids(first)).to.deep.equal(['esc-a', 'esc-b']);
    const second = parse(
      await as(ID.auditor)((ctx) =>
        contract.listEscrowsByMarketplace(ctx, 'MarketB', '2', String(first.bookmark)),
      ),
    );
    expect(ids(second)).to.deep.equal(['esc-c']);
    const funded = parse(await as(ID.auditor)((ctx) => contract.listEscrowsByState(ctx, 'FUNDED', '10', '')));
    expect(ids(funded)).to.deep.equal(['esc-b']);
    const created = parse(
      await as(ID.auditor)((ctx) => contract.listEscrowsByState(ctx, 'PROPOSED', '10', '')),
    );
    expect(ids(created)).to.deep.equal(['esc-a', 'esc-c']);
    const byParty = parse(
      await as(ID.alice)((ctx) => contract.listEscrowsByParty(ctx, 'MarketA', 'alice', '10', '')),
    );
    expect(ids(byParty)).to.have.length(3);
    await expectRejection(
      () => as(ID.auditor)((ctx) => contract.listEscrowsByState(ctx, 'FUNDED', '1000', '')),
      'INVALID_INPUT',
    );
  });

  it('answers queries of a trade only to its marketplaces’ identities and Oversight’s', async () => {
    const amir = { marketplace: 'MarketA', userId: 'amir' };
    await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-only-a', request(amir)));
    const refusedToMarketB = [
      () => as(ID.bea)((ctx) => contract.readEscrow(ctx, 'esc-only-a')),
      () => as(ID.paymentsB)((ctx) => contract.getHistory(ctx, 'esc-only-a')),
      () => as(ID.bea)((ctx) => contract.listEscrowsByMarketplace(ctx, 'MarketA', '10', '')),
      () => as(ID.bea)((ctx) => contract.listEscrowsByParty(ctx, 'MarketA', 'alice', '10', '')),
      () => as(ID.bea)((ctx) => contract.listEscrowsByState(ctx, 'CREATED', '10', '')),
      // Lists across every marketplace are Oversight's only, even for a marketplace of the trade.
      () => as(ID.alice)((ctx) => contract.listEscrowsByState(ctx, 'CREATED', '10', '')),
    ];
    for (const attempt of refusedToMarketB) await expectRejection(attempt, 'FORBIDDEN_ACTOR');
    for (const reader of [ID.alice, ID.amir, ID.marketA, ID.auditor, ID.keeper]) {
      const read = parse(await as(reader)((ctx) => contract.readEscrow(ctx, 'esc-only-a')));
      expect(read.escrowId).to.equal('esc-only-a');
      await as(reader)((ctx) => contract.getHistory(ctx, 'esc-only-a'));
    }
    const listed = parse(
      await as(ID.amir)((ctx) => contract.listEscrowsByMarketplace(ctx, 'MarketA', '10', '')),
    );
    expect(listed.records).to.have.length(1);
  });

  it('declares every public method as a transaction, so none is hidden from clients', () => {
    // fabric-contract-api loads reflect-metadata, which adds getMetadata to Reflect at runtime.
    const metadata = Reflect as unknown as { getMetadata(key: string, target: object): unknown };
    const declared = metadata.getMetadata('fabric:transactions', EscrowContract.prototype);
    const names = (Array.isArray(declared) ? declared : [])
      .map((entry: { name: string }) => entry.name)
      .sort();
    const methods = Object.getOwnPropertyNames(EscrowContract.prototype).filter(
      (name) => name !== 'constructor',
    );
    expect(names).to.deep.equal(methods.sort());
    expect(names).to.have.length(64);
  });

  it('answers ping and writes a marker in one put', async () => {
    expect(parse(await as(ID.auditor)((ctx) => contract.ping(ctx)))).to.include({
      status: 'ok',
      contract: 'escrow',
    });
    await as({ mspId: 'MarketAMSP', attributes: {} })((ctx) => contract.putMarker(ctx, 'bench-1', 'x'));
    expect(written()).to.equal(1);
  });

  it('keeps parties, items and amounts off public state, events and answers: only in the terms collection', async () => {
    await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-t1', request()));
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-t1'));
    await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-t1', '10000', 'EUR', 'psp-secret'));
    await as(ID.bea)((ctx) => contract.shipEscrow(ctx, 'esc-t1', 'DHL', 'TRK-secret'));
    const secrets = ['"alice"', '"bea"', 'Camera', '"10000"', 'psp-secret', 'TRK-secret', 'marketa-backend'];
    const publicBytes = [...ledger.history.entries()].flatMap(([key, versions]) => [
      key,
      ...versions.map((version) => Buffer.from(version.value ?? new Uint8Array()).toString('utf8')),
    ]);
    const events = ledger.events.map((event) => JSON.stringify(event.payload));
    for (const text of [...publicBytes, ...events])
      for (const secret of secrets) expect(text, text).not.to.include(secret);
    const onPublicState = parse(Buffer.from(ledger.get(ESCROW_KEY('esc-t1')) ?? '').toString('utf8'));
    expect(onPublicState).to.include({ docType: 'publicEscrow', state: 'SHIPPED' });
    expect(onPublicState.termsCollection).to.equal('escrowTerms_MarketA_MarketB');
    const terms = ledger.privateData.get(`escrowTerms_MarketA_MarketB/${ESCROW_KEY('esc-t1')}`);
    expect(
      createHash('sha256')
        .update(terms ?? '')
        .digest('hex'),
    ).to.equal(onPublicState.termsHash);
    expect(parse(Buffer.from(terms ?? '').toString('utf8'))).to.include({
      amount: '10000',
      fundedAmount: '10000',
      termsSalt: TEST_TERMS_SALT,
    });
    expect(ledger.events.at(-1)?.payload).to.deep.equal({
      escrowId: 'esc-t1',
      state: 'SHIPPED',
      txTime: (ledger.events.at(-1)?.payload as { txTime: string }).txTime,
      actor: { organization: 'MarketB', role: 'seller' },
    });
    // The version each transaction keeps holds its full event, for the projections of the trade's orgs.
    const versions = [...ledger.privateData.keys()].filter((key) => key.includes('escrow~version'));
    expect(versions).to.have.length(4);
  });

  it('answers a submit with the public record unless the caller sent a response key', async () => {
    const created = await as(ID.marketA, {
      transient: { arguments: request(), termsSalt: TEST_TERMS_SALT },
    })((ctx) => new EscrowContract().createEscrow(ctx, 'esc-t2'));
    expect(parse(created)).to.include({ docType: 'publicEscrow', escrowId: 'esc-t2', state: 'PROPOSED' });
    expect(created).not.to.include('alice');
  });

  it('refuses a create whose request or salt is not transient, and parameters outside arguments', async () => {
    const raw = new EscrowContract();
    await expectRejection(
      () =>
        as(ID.marketA, { transient: { termsSalt: TEST_TERMS_SALT } })((ctx) => raw.createEscrow(ctx, 'x1')),
      'INVALID_INPUT',
    );
    await expectRejection(
      () => as(ID.marketA, { transient: { arguments: request() } })((ctx) => raw.createEscrow(ctx, 'x1')),
      'INVALID_INPUT',
    );
    await expectRejection(
      () =>
        as(ID.marketA, { transient: { arguments: request(), termsSalt: 'short' } })((ctx) =>
          raw.createEscrow(ctx, 'x1'),
        ),
      'INVALID_INPUT',
    );
    expect(written()).to.equal(0);
  });

  it("keeps a party's index in the terms collection and lists it from there, page by page", async () => {
    for (const id of ['esc-p1', 'esc-p2', 'esc-p3'])
      await as(ID.marketA)((ctx) => contract.createEscrow(ctx, id, request()));
    expect(ledger.keysFrom('\u0000escrow~party')).to.deep.equal([]);
    const first = parse(
      await as(ID.alice)((ctx) => contract.listEscrowsByParty(ctx, 'MarketA', 'alice', '2', '')),
    );
    expect(ids(first)).to.deep.equal(['esc-p1', 'esc-p2']);
    const second = parse(
      await as(ID.alice)((ctx) =>
        contract.listEscrowsByParty(ctx, 'MarketA', 'alice', '2', String(first.bookmark)),
      ),
    );
    expect(ids(second)).to.deep.equal(['esc-p3']);
    expect(second.bookmark).to.equal('');
  });
});
