// The marketplace registry through the contract on an in-memory ledger: who may register, add,
// suspend and reinstate a marketplace, what a suspension refuses, and how Oversight's arbiter ends a
// suspended marketplace's open escrows. That a single org cannot commit a registry write is
// proven on the live network (test/live/marketplaceGovernance.int.test.ts).
import { expect } from 'chai';
import { CALLERS, caller, foundedLedger, registerFounding, requestJson } from '../testing/contractFixtures';
import { type Caller, FakeLedger, type SubmitOptions } from '../testing/fakeLedger';
import { FOUNDING_MARKETPLACES, expectRejection } from '../testing/escrowFixtures';
import { withPositionalSubmits } from '../testing/transientCalls';
import { collectionsConfig } from '../privateData/collections';
import { escrowVersionFromBytes } from './termsRecord';
import { EscrowContract } from './escrowContract';
import { decodePolicy, member } from '../ledger/endorsementPolicy';

const ID = CALLERS;
const MARKET_C = JSON.stringify({ name: 'MarketC', mspId: 'MarketCMSP' });
const marketC = caller('MarketC', 'marketplace', 'marketc-backend');

interface Registry {
  marketplaces: { name: string; mspId: string; status: string; updatedBy: string }[];
  updatedBy: string | null;
}

describe('marketplace governance', () => {
  let ledger: FakeLedger;
  const contract = withPositionalSubmits(new EscrowContract());
  const as = (who: Caller, options?: SubmitOptions) => ledger.as(who, options);
  const registry = async (who: Caller = ID.arbiter): Promise<Registry> =>
    JSON.parse(await as(who)((ctx) => contract.readMarketplaces(ctx))) as Registry;
  const statusOf = async (name: string) =>
    (await registry()).marketplaces.find((entry) => entry.name === name)?.status;
  const suspend = (name: string, who: Caller = ID.oversightAdmin) =>
    as(who)((ctx) => contract.suspendMarketplace(ctx, name));
  const reinstate = (name: string, who: Caller = ID.oversightAdmin) =>
    as(who)((ctx) => contract.reinstateMarketplace(ctx, name));
  const create = (escrowId: string, who: Caller = ID.marketA, overrides: Record<string, unknown> = {}) =>
    as(who)((ctx) => contract.createEscrow(ctx, escrowId, requestJson(overrides)));
  const stateOf = async (escrowId: string) =>
    (JSON.parse(await as(ID.arbiter)((ctx) => contract.readEscrow(ctx, escrowId))) as { state: string })
      .state;

  describe('before the founding marketplaces are registered', () => {
    beforeEach(() => {
      ledger = new FakeLedger();
    });

    it('refuses every marketplace identity with MARKETPLACES_NOT_REGISTERED, while Oversight still answers', async () => {
      await expectRejection(() => create('esc-1'), 'MARKETPLACES_NOT_REGISTERED');
      await expectRejection(
        () => as(ID.alice)((ctx) => contract.readChannelSettings(ctx)),
        'MARKETPLACES_NOT_REGISTERED',
      );
      await as(ID.arbiter)((ctx) => contract.readChannelSettings(ctx));
      expect(await registry(ID.alice)).to.deep.equal({
        docType: 'marketplaceRegistry',
        marketplaces: [],
        updatedAt: null,
        updatedBy: null,
      });
    });

    it('lets an admin of a listed org register the founding marketplaces, once', async () => {
      await expectRejection(
        () =>
          as(ID.arbiter)((ctx) =>
            contract.registerFoundingMarketplaces(ctx, JSON.stringify(FOUNDING_MARKETPLACES)),
          ),
        'FORBIDDEN_ACTOR',
      );
      // An org outside the list cannot found a channel it would not be part of.
      await expectRejection(
        () =>
          as(caller('MarketC', 'admin', 'marketc-admin'))((ctx) =>
            contract.registerFoundingMarketplaces(ctx, JSON.stringify(FOUNDING_MARKETPLACES)),
          ),
        'INVALID_IDENTITY',
      );
      await expectRejection(
        () =>
          as(ID.adminA)((ctx) =>
            contract.registerFoundingMarketplaces(
              ctx,
              JSON.stringify([{ name: 'MarketA', mspId: 'OtherMSP' }]),
            ),
          ),
        'INVALID_INPUT',
      );
      await as(ID.adminA)((ctx) =>
        contract.registerFoundingMarketplaces(ctx, JSON.stringify(FOUNDING_MARKETPLACES)),
      );
      const founded = await registry();
      expect(founded.marketplaces.map(({ name, mspId, status }) => ({ name, mspId, status }))).to.deep.equal([
        { name: 'MarketA', mspId: 'MarketAMSP', status: 'active' },
        { name: 'MarketB', mspId: 'MarketBMSP', status: 'active' },
      ]);
      expect(founded.updatedBy).to.equal('marketa-admin@MarketA');
      await expectRejection(() => registerFounding(ledger), 'MARKETPLACE_EXISTS');
      await create('esc-1');
    });
  });

  describe('on a founded channel', () => {
    beforeEach(async () => {
      ledger = await foundedLedger();
    });

    it('lets an admin of any member org add, suspend and reinstate; nobody else', async () => {
      await expectRejection(
        () => as(ID.marketA)((ctx) => contract.addMarketplace(ctx, MARKET_C)),
        'FORBIDDEN_ACTOR',
      );
      await expectRejection(() => suspend('MarketB', ID.arbiter), 'FORBIDDEN_ACTOR');
      await expectRejection(() => suspend('MarketB', ID.alice), 'FORBIDDEN_ACTOR');
      await as(ID.adminA)((ctx) => contract.addMarketplace(ctx, MARKET_C));
      await expectRejection(
        () => as(ID.adminB)((ctx) => contract.addMarketplace(ctx, MARKET_C)),
        'MARKETPLACE_EXISTS',
      );
      await suspend('MarketC', ID.adminB);
      await expectRejection(() => suspend('MarketC'), 'INVALID_STATE');
      await reinstate('MarketC');
      await expectRejection(() => reinstate('MarketC'), 'INVALID_STATE');
      await expectRejection(() => suspend('MarketZ'), 'MARKETPLACE_NOT_FOUND');
      expect(await statusOf('MarketC')).to.equal('active');
    });

    it('puts the governance keys under a majority of the governing members, renewed by every registry change', async () => {
      const policyOf = (type: string) => {
        const entry = [...ledger.validationParameters].find(([key]) => key.includes(type));
        return entry === undefined ? undefined : decodePolicy(entry[1]);
      };
      const majority = (outOf: number, ...mspIds: string[]) => ({ outOf, rules: mspIds.map(member) });
      expect(policyOf('marketplaceRegistry')).to.deep.equal(
        majority(2, 'MarketAMSP', 'MarketBMSP', 'OversightMSP'),
      );
      await as(ID.adminA)((ctx) => contract.addMarketplace(ctx, MARKET_C));
      expect(policyOf('marketplaceRegistry')).to.deep.equal(
        majority(3, 'MarketAMSP', 'MarketBMSP', 'MarketCMSP', 'OversightMSP'),
      );
      await suspend('MarketA');
      expect(policyOf('marketplaceRegistry')).to.deep.equal(
        majority(2, 'MarketBMSP', 'MarketCMSP', 'OversightMSP'),
      );
      await as(ID.oversightAdmin)((ctx) =>
        contract.setChannelSettings(ctx, JSON.stringify({ maxFeeBps: 1000, minInspectionPeriodSeconds: 60 })),
      );
      expect(policyOf('channelSettings')).to.deep.equal(
        majority(2, 'MarketBMSP', 'MarketCMSP', 'OversightMSP'),
      );
    });

    it('refuses a trade of a registered marketplace whose collections the definition lacks yet', async () => {
      const founding = new Set(collectionsConfig(FOUNDING_MARKETPLACES, 'OversightMSP').map((c) => c.name));
      ledger = await foundedLedger(founding);
      await as(ID.adminA)((ctx) => contract.addMarketplace(ctx, MARKET_C));
      await expectRejection(
        () => create('esc-c', marketC, { seller: { marketplace: 'MarketC', userId: 'carl' } }),
        'COLLECTION_NOT_DEFINED',
      );
      await expectRejection(
        () => create('esc-z', ID.marketA, { seller: { marketplace: 'MarketZ', userId: 'zed' } }),
        'INVALID_INPUT',
      );
      await create('esc-1');
    });

    it('refuses every identity of a suspended marketplace, and any new trade with it', async () => {
      await create('esc-1');
      await suspend('MarketA');
      for (const who of [ID.marketA, ID.alice, ID.amir, ID.paymentsA, ID.adminA, ID.carrierA]) {
        await expectRejection(
          () => as(who)((ctx) => contract.readEscrow(ctx, 'esc-1')),
          'MARKETPLACE_SUSPENDED',
        );
      }
      await expectRejection(() => create('esc-2'), 'MARKETPLACE_SUSPENDED');
      // Nor can a suspended marketplace lift its own suspension.
      await expectRejection(() => reinstate('MarketA', ID.adminA), 'MARKETPLACE_SUSPENDED');
      // The other side keeps what does not need the suspended one: reading, but no new obligation.
      await as(ID.bea)((ctx) => contract.readEscrow(ctx, 'esc-1'));
      await expectRejection(
        () => create('esc-3', ID.marketB, { seller: { marketplace: 'MarketB', userId: 'bea' } }),
        'MARKETPLACE_SUSPENDED',
      );
      await expectRejection(
        () => as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-1')),
        'MARKETPLACE_SUSPENDED',
      );
      await reinstate('MarketA', ID.adminB);
      await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-1'));
      await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-1', '10000', 'EUR', 'psp-1'));
      expect(await stateOf('esc-1')).to.equal('FUNDED');
    });

    it("lets Oversight's arbiter end a suspended marketplace's open escrows: cancelled unfunded, resolved funded", async () => {
      await create('esc-proposed');
      await create('esc-shipped');
      await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-shipped'));
      await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-shipped', '10000', 'EUR', 'psp-1'));
      await create('esc-untouched', ID.marketB, { buyer: { marketplace: 'MarketB', userId: 'bob' } });
      await suspend('MarketA');
      // The seller on the other side still ships what was paid for.
      await as(ID.bea)((ctx) => contract.shipEscrow(ctx, 'esc-shipped', 'DHL', 'TRK-1'));

      await expectRejection(
        () => as(ID.oversightAdmin)((ctx) => contract.endSuspendedEscrow(ctx, 'esc-proposed')),
        'FORBIDDEN_ACTOR',
      );
      await expectRejection(
        () => as(ID.arbiter)((ctx) => contract.endSuspendedEscrow(ctx, 'esc-untouched')),
        'INVALID_STATE',
      );
      await as(ID.arbiter)((ctx) => contract.endSuspendedEscrow(ctx, 'esc-proposed'));
      await expectRejection(
        () => as(ID.arbiter)((ctx) => contract.endSuspendedEscrow(ctx, 'esc-shipped')),
        'INVALID_INPUT',
      );
      await expectRejection(
        () => as(ID.arbiter)((ctx) => contract.endSuspendedEscrow(ctx, 'esc-shipped', '10001')),
        'INVALID_INPUT',
      );
      const resolved = JSON.parse(
        await as(ID.arbiter)((ctx) => contract.endSuspendedEscrow(ctx, 'esc-shipped', '10000')),
      ) as Record<string, unknown>;
      expect(resolved).to.deep.include({
        state: 'RESOLVED',
        buyerRefund: '10000',
        sellerPayout: '0',
        fee: '0',
      });
      expect(await stateOf('esc-proposed')).to.equal('CANCELLED');
      await expectRejection(
        () => as(ID.arbiter)((ctx) => contract.endSuspendedEscrow(ctx, 'esc-proposed')),
        'INVALID_STATE',
      );

      // The existing event scheme: the public event names no amount, the full one sits in the terms.
      const [cancelled, ended] = ledger.events.filter((event) =>
        ['Cancelled', 'Resolved'].includes(event.name),
      );
      expect(cancelled?.payload).to.deep.equal({
        escrowId: 'esc-proposed',
        state: 'CANCELLED',
        txTime: (cancelled?.payload as { txTime: string }).txTime,
        actor: { organization: 'Oversight', role: 'arbiter' },
      });
      const version = escrowVersionFromBytes(
        ledger.privateData.get(
          `escrowTerms_MarketA_MarketB/\u0000escrow~version\u0000esc-shipped\u0000${ended?.txId ?? ''}\u0000`,
        ) ?? new Uint8Array(),
      );
      expect(version.event.name).to.equal('Resolved');
      expect(version.event.payload.details).to.deep.equal({ suspendedMarketplace: 'MarketA' });
      expect(version.event.payload.buyerRefund).to.equal('10000');
    });
  });
});
