// The new terms at the contract, with the network's real identities: who may offer, answer,
// extend and expire, and who may not (the other marketplace's identities, the arbiter, a client of
// another marketplace presenting a party's user id), and the channel's rule for a missed delivery.
import { expect } from 'chai';
import { CALLERS, caller, foundedLedger, requestJson } from '../testing/contractFixtures';
import type { Caller, FakeLedger } from '../testing/fakeLedger';
import { expectRejection } from '../testing/escrowFixtures';
import { withPositionalSubmits } from '../testing/transientCalls';
import { EscrowContract } from './escrowContract';

const ID = CALLERS;
/** A MarketB client presenting alice's user id: MarketB may issue it, it is still not MarketA's alice. */
const ROGUE_ALICE = caller('MarketB', 'buyer', 'alice');
const ROGUE_BEA = caller('MarketA', 'seller', 'bea');
const OUTSIDERS: readonly Caller[] = [
  ID.marketA,
  ID.marketB,
  ID.arbiter,
  ID.keeper,
  ID.amir,
  ROGUE_ALICE,
  ROGUE_BEA,
];

describe('escrow contract: deadlines, offers and fee payer', () => {
  let ledger: FakeLedger;
  const contract = withPositionalSubmits(new EscrowContract());
  const as = (who: Caller) => ledger.as(who);
  const record = async (): Promise<Record<string, unknown>> =>
    JSON.parse(await as(ID.arbiter)((ctx) => contract.readEscrow(ctx, 'esc-1'))) as Record<string, unknown>;

  async function shipped(overrides: Record<string, unknown> = {}, amount = '10000'): Promise<void> {
    await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-1', requestJson(overrides)));
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-1'));
    await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-1', amount, 'EUR', 'psp-1'));
    await as(ID.bea)((ctx) => contract.shipEscrow(ctx, 'esc-1', 'DHL', 'TRK-1'));
  }

  async function disputed(): Promise<void> {
    await shipped();
    await as(ID.alice)((ctx) => contract.disputeEscrow(ctx, 'esc-1', 'dented', '[]'));
  }

  beforeEach(async () => {
    ledger = await foundedLedger();
  });

  it('lets the seller offer and the buyer accept: resolved at the split without the arbiter', async () => {
    await disputed();
    for (const who of OUTSIDERS.filter((c) => c !== ID.amir))
      await expectRejection(
        () => as(who)((ctx) => contract.offerSettlement(ctx, 'esc-1', '4000')),
        'FORBIDDEN_ACTOR',
      );
    await as(ID.bea)((ctx) => contract.offerSettlement(ctx, 'esc-1', '4000'));
    for (const who of [...OUTSIDERS, ID.bea])
      await expectRejection(
        () => as(who)((ctx) => contract.acceptSettlementOffer(ctx, 'esc-1')),
        'FORBIDDEN_ACTOR',
      );
    const answer = JSON.parse(
      await as(ID.alice)((ctx) => contract.acceptSettlementOffer(ctx, 'esc-1')),
    ) as Record<string, unknown>;
    expect(answer).to.include({ state: 'RESOLVED', buyerRefund: '4000', fee: '150', sellerPayout: '5850' });
    expect(ledger.events.at(-1)?.name).to.equal('SettlementOfferAccepted');
    // The arbiter reads every offer made, with what became of it.
    const offers = (await record()).offers as { offeredBy: string; status: string }[];
    expect(offers.map((o) => [o.offeredBy, o.status])).to.deep.equal([['seller', 'accepted']]);
  });

  it('keeps a declined or countered offer on the record for the arbiter', async () => {
    await disputed();
    await as(ID.alice)((ctx) => contract.offerSettlement(ctx, 'esc-1', '9000'));
    await expectRejection(
      () => as(ID.arbiter)((ctx) => contract.declineSettlementOffer(ctx, 'esc-1')),
      'FORBIDDEN_ACTOR',
    );
    await expectRejection(
      () => as(ROGUE_BEA)((ctx) => contract.declineSettlementOffer(ctx, 'esc-1')),
      'FORBIDDEN_ACTOR',
    );
    await as(ID.bea)((ctx) => contract.declineSettlementOffer(ctx, 'esc-1'));
    expect(ledger.events.at(-1)?.name).to.equal('SettlementOfferDeclined');
    await as(ID.bea)((ctx) => contract.offerSettlement(ctx, 'esc-1', '2000'));
    await as(ID.alice)((ctx) => contract.offerSettlement(ctx, 'esc-1', '6000'));
    const offers = (await record()).offers as { status: string; buyerRefund: string }[];
    expect(offers.map((o) => [o.status, o.buyerRefund])).to.deep.equal([
      ['declined', '9000'],
      ['countered', '2000'],
      ['open', '6000'],
    ]);
    const resolved = JSON.parse(
      await as(ID.arbiter)((ctx) => contract.resolveDispute(ctx, 'esc-1', '5000')),
    ) as Record<string, unknown>;
    expect(resolved.state).to.equal('RESOLVED');
  });

  it('lets only the buyer extend ship-by, only later, and the record carries it', async () => {
    await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-1', requestJson()));
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-1'));
    await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-1', '10000', 'EUR', 'psp-1'));
    const before = (await record()).shipBy as string;
    const later = new Date(Date.parse(before) + 24 * 3600_000).toISOString();
    for (const who of [...OUTSIDERS, ID.bea, ID.paymentsA])
      await expectRejection(
        () => as(who)((ctx) => contract.extendShipBy(ctx, 'esc-1', later)),
        'FORBIDDEN_ACTOR',
      );
    await expectRejection(
      () => as(ID.alice)((ctx) => contract.extendShipBy(ctx, 'esc-1', before)),
      'DEADLINE_NOT_EXTENDED',
    );
    await as(ID.alice)((ctx) => contract.extendShipBy(ctx, 'esc-1', later));
    expect((await record()).shipBy).to.equal(later);
    expect(ledger.events.at(-1)?.name).to.equal('ShipByExtended');
  });

  it('applies the channel’s missed-delivery rule once deliverBy passed, and not before', async () => {
    await as(ID.oversightAdmin)((ctx) =>
      contract.setChannelSettings(
        ctx,
        JSON.stringify({ maxFeeBps: 2000, minInspectionPeriodSeconds: 1, missedDeliveryOutcome: 'refund' }),
      ),
    );
    await shipped({ deliveryPeriodSeconds: 1 });
    const deliverBy = Date.parse((await record()).deliverBy as string);
    await expectRejection(
      () => as(ID.keeper)((ctx) => contract.expireDelivery(ctx, 'esc-1')),
      'DEADLINE_NOT_REACHED',
    );
    // The endorser's own clock must pass deliverBy too: wait for it, at most two seconds.
    for (let tries = 0; Date.now() <= deliverBy && tries < 40; tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const answer = JSON.parse(await as(ID.keeper)((ctx) => contract.expireDelivery(ctx, 'esc-1'))) as Record<
      string,
      unknown
    >;
    expect(answer).to.include({ state: 'REFUNDED', buyerRefund: '10000' });
    expect(ledger.events.at(-1)?.name).to.equal('DeliveryOverdue');
  });

  it('collects the buyer’s share of the fee with the funding', async () => {
    await as(ID.marketA)((ctx) =>
      contract.createEscrow(ctx, 'esc-1', requestJson({ feePayer: 'split', buyerFeeShareBps: 5000 })),
    );
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-1'));
    await expectRejection(
      () => as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-1', '10000', 'EUR', 'psp-1')),
      'INVALID_INPUT',
    );
    // 2.5 % of 10 000 is 250, half of it the buyer's.
    await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-1', '10125', 'EUR', 'psp-1'));
    await as(ID.bea)((ctx) => contract.cancelEscrow(ctx, 'esc-1'));
    expect(await record()).to.include({ state: 'CANCELLED', buyerRefund: '10125', fee: '0' });
  });
});
