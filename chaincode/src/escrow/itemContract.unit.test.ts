// The item-level transactions through the contract class: transient item arguments, the escrow's
// endorsement policy widening while an item is disputed, one event per item transition, and the
// return address kept in the parties' personal-data collection with only its hash on the record.
import { expect } from 'chai';
import { allOf, anyOf, decodePolicy, member } from '../ledger/endorsementPolicy';
import { returnAddressHashOf } from '../privateData/returnAddress';
import { newResponseKey, openSealedResult } from '../privateData/sealedResult';
import { CALLERS as ID, foundedLedger, requestJson } from '../testing/contractFixtures';
import { type Caller, FakeLedger } from '../testing/fakeLedger';
import { expectRejection } from '../testing/escrowFixtures';
import { withPositionalSubmits } from '../testing/transientCalls';
import { EscrowContract } from './escrowContract';

const ITEMS = [
  { description: 'Design', price: '3000' },
  { description: 'Build', price: '5000' },
  { description: 'Handover', price: '2000' },
];
const ADDRESS = (escrowId: string) => ({
  escrowId,
  item: 0,
  salt: 'fedcba9876543210fedcba9876543210',
  address: '9 Return Rd, Lyon',
});

describe('item-level transactions of the contract', () => {
  let ledger: FakeLedger;
  const contract = withPositionalSubmits(new EscrowContract());
  const raw = new EscrowContract();

  /** Calls an item-level transaction as `who` with its transient arguments; the public answer back. */
  const item = (who: Caller, args: object, transient: Record<string, string> = {}) =>
    ledger.as(who, { transient: { arguments: JSON.stringify(args), ...transient } });

  beforeEach(async () => {
    ledger = await foundedLedger();
    await ledger.as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-m', requestJson({ items: ITEMS })));
    await ledger.as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-m'));
    await ledger.as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-m', '10000', 'EUR', 'psp-m'));
  });

  const readState = async (): Promise<{ state: string; itemLifecycles: { state: string }[] | null }> =>
    JSON.parse(await ledger.as(ID.auditor)((ctx) => raw.readEscrow(ctx, 'esc-m'))) as {
      state: string;
      itemLifecycles: { state: string }[] | null;
    };

  it('moves each item on its own; a dispute on one widens the escrow policy to the arbiter until resolved', async () => {
    for (const index of [0, 1, 2])
      await item(ID.bea, { item: index, carrier: 'DHL', trackingRef: `T-${index}` })((ctx) =>
        raw.shipItem(ctx, 'esc-m'),
      );
    await item(ID.alice, { item: 1, reason: 'cracked', evidenceHashes: [] })((ctx) =>
      raw.disputeItem(ctx, 'esc-m'),
    );
    const key =
      [...ledger.validationParameters.keys()].find((name) => name === '\u0000escrow\u0000esc-m\u0000') ?? '';
    const widened = anyOf(
      allOf(member('MarketAMSP'), member('MarketBMSP')),
      allOf(member('OversightMSP'), anyOf(member('MarketAMSP'), member('MarketBMSP'))),
    );
    expect(decodePolicy(ledger.validationParameters.get(key) ?? new Uint8Array())).to.deep.equal(widened);
    await item(ID.alice, { item: 0 })((ctx) => raw.releaseItem(ctx, 'esc-m'));
    await item(ID.alice, { item: 2 })((ctx) => raw.releaseItem(ctx, 'esc-m'));
    await expectRejection(
      () => item(ID.alice, { item: 1, buyerRefund: '1' })((ctx) => raw.resolveItem(ctx, 'esc-m')),
      'FORBIDDEN_ACTOR',
    );
    await item(ID.arbiter, { item: 1, buyerRefund: '2500' })((ctx) => raw.resolveItem(ctx, 'esc-m'));
    const ended = await readState();
    expect(ended.state).to.equal('RESOLVED');
    expect(ended.itemLifecycles?.map((entry) => entry.state)).to.deep.equal([
      'RELEASED',
      'RESOLVED',
      'RELEASED',
    ]);
    expect(ledger.events.map((event) => event.name).slice(3)).to.deep.equal([
      'ItemShipped',
      'ItemShipped',
      'ItemShipped',
      'ItemDisputed',
      'ItemReleased',
      'ItemReleased',
      'ItemResolved',
    ]);
    // The public event names no item and no amount, as every other.
    const last = ledger.events.at(-1)?.payload as Record<string, unknown> | undefined;
    expect(last).to.deep.include({
      escrowId: 'esc-m',
      state: 'RESOLVED',
      actor: { organization: 'Oversight', role: 'arbiter' },
    });
    expect(Object.keys(last ?? {}).sort()).to.deep.equal(['actor', 'escrowId', 'state', 'txTime']);
  });

  it('refuses an unknown item (ITEM_NOT_FOUND) and an item-level move without an item (INVALID_INPUT)', async () => {
    await expectRejection(
      () => item(ID.bea, { item: 3, carrier: 'DHL', trackingRef: 'T' })((ctx) => raw.shipItem(ctx, 'esc-m')),
      'ITEM_NOT_FOUND',
    );
    await expectRejection(
      () => item(ID.bea, { carrier: 'DHL', trackingRef: 'T' })((ctx) => raw.shipItem(ctx, 'esc-m')),
      'INVALID_INPUT',
    );
    expect((await readState()).itemLifecycles).to.equal(null);
  });

  it('keeps the return address in the parties’ collection under their own policy, its hash on the item', async () => {
    await item(ID.bea, { item: 0, carrier: 'DHL', trackingRef: 'T-0' })((ctx) => raw.shipItem(ctx, 'esc-m'));
    await item(ID.alice, { item: 0 })((ctx) => raw.confirmItemDelivery(ctx, 'esc-m'));
    await item(ID.alice, { item: 0, reason: 'wrong colour' })((ctx) => raw.rejectItem(ctx, 'esc-m'));
    const addressHash = returnAddressHashOf(ADDRESS('esc-m'));
    await item(ID.bea, { item: 0, addressHash })((ctx) => raw.provideReturnAddress(ctx, 'esc-m'));
    const put = (who: Caller, details: object) =>
      ledger.as(who, { transient: { returnAddress: JSON.stringify(details) } })((ctx) =>
        raw.putReturnAddress(ctx, 'esc-m'),
      );
    await expectRejection(() => put(ID.alice, ADDRESS('esc-m')), 'FORBIDDEN_ACTOR');
    await expectRejection(() => put(ID.bea, { ...ADDRESS('esc-m'), address: 'elsewhere' }), 'INVALID_INPUT');
    await put(ID.bea, ADDRESS('esc-m'));
    const stored = [...ledger.privateData.keys()].filter((name) => name.startsWith('escrowPrivate_'));
    expect(stored).to.have.length(1);
    expect(decodePolicy(ledger.validationParameters.get(stored[0] ?? '') ?? new Uint8Array())).to.deep.equal(
      allOf(member('MarketAMSP'), member('MarketBMSP')),
    );
    for (const name of ledger.history.keys())
      if (!name.startsWith('escrowPrivate_'))
        expect(Buffer.from(ledger.get(name) ?? []).toString()).not.to.contain('Return Rd');
    const read = async (who: Caller) => {
      const responseKey = newResponseKey();
      const sealed = await ledger.as(who, { transient: { responseKey } })((ctx) =>
        raw.readReturnAddress(ctx, 'esc-m', '0'),
      );
      return JSON.parse(openSealedResult(responseKey, sealed)) as Record<string, unknown>;
    };
    expect(await read(ID.alice)).to.include({
      address: '9 Return Rd, Lyon',
      hash: addressHash,
      hashMatches: true,
    });
    await expectRejection(() => read(ID.auditor), 'FORBIDDEN_ACTOR');
    await item(ID.alice, { item: 0, carrier: 'UPS', trackingRef: 'R-0' })((ctx) =>
      raw.shipReturn(ctx, 'esc-m'),
    );
    await item(ID.bea, { item: 0 })((ctx) => raw.confirmReturn(ctx, 'esc-m'));
    const after = await readState();
    expect(after.itemLifecycles?.[0]?.state).to.equal('REFUNDED');
    expect(after.state).to.equal('FUNDED');
  });

  it('lets the seller declare the return address anew when the first was never stored, and completes', async () => {
    await item(ID.bea, { item: 0, carrier: 'DHL', trackingRef: 'T-0' })((ctx) => raw.shipItem(ctx, 'esc-m'));
    await item(ID.alice, { item: 0 })((ctx) => raw.confirmItemDelivery(ctx, 'esc-m'));
    await item(ID.alice, { item: 0, reason: 'wrong colour' })((ctx) => raw.rejectItem(ctx, 'esc-m'));
    const declare = (details: object) =>
      item(ID.bea, { item: 0, addressHash: returnAddressHashOf(details) })((ctx) =>
        raw.provideReturnAddress(ctx, 'esc-m'),
      );
    const put = (details: object) =>
      ledger.as(ID.bea, { transient: { returnAddress: JSON.stringify(details) } })((ctx) =>
        raw.putReturnAddress(ctx, 'esc-m'),
      );
    // The first attempt declared its hash; its second step never committed, and its salt is gone.
    await declare({ ...ADDRESS('esc-m'), salt: '0123456789abcdef0123456789abcdef' });
    const first = (await readState()) as unknown as { itemLifecycles: { returnAddress: object }[] };
    const retry = ADDRESS('esc-m');
    await declare(retry);
    await put(retry);
    const after = (await readState()) as unknown as {
      itemLifecycles: {
        state: string;
        returnAddress: { hash: string; shipBackBy: string; providedAt: string };
      }[];
    };
    expect(after.itemLifecycles[0]?.returnAddress).to.deep.equal({
      ...first.itemLifecycles[0]?.returnAddress,
      hash: returnAddressHashOf(retry),
    });
    expect(ledger.events.map((event) => event.name).slice(-2)).to.deep.equal([
      'ReturnAddressProvided',
      'ReturnAddressProvided',
    ]);
    // Stored, the address is final.
    await expectRejection(() => declare({ ...retry, address: '1 Other St, Nice' }), 'INVALID_STATE');
    await item(ID.alice, { item: 0, carrier: 'UPS', trackingRef: 'R-0' })((ctx) =>
      raw.shipReturn(ctx, 'esc-m'),
    );
  });

  it('ends a suspended marketplace’s escrow that moves per item, item by item', async () => {
    await item(ID.bea, { item: 0, carrier: 'DHL', trackingRef: 'T-0' })((ctx) => raw.shipItem(ctx, 'esc-m'));
    await item(ID.alice, { item: 0 })((ctx) => raw.releaseItem(ctx, 'esc-m'));
    await ledger.as(ID.oversightAdmin)((ctx) => raw.suspendMarketplace(ctx, 'MarketB'));
    const ended = JSON.parse(
      await ledger.as(ID.arbiter)((ctx) => contract.endSuspendedEscrow(ctx, 'esc-m', '7000')),
    ) as { state: string; itemLifecycles: { state: string; buyerRefund: string }[] };
    expect(ended.state).to.equal('RESOLVED');
    expect(ended.itemLifecycles.map((entry) => entry.state)).to.deep.equal([
      'RELEASED',
      'RESOLVED',
      'RESOLVED',
    ]);
  });

  it('expires one item’s delivery past its deadline; anyone may, not before', async () => {
    // A minute to deliver, the trade stamped four minutes back (within the endorsers' allowed skew):
    // the deadline has passed on both clocks by now.
    const base = Date.now() - 240_000;
    const at = (offsetMs: number, transient: Record<string, string> = {}) => ({
      txTimeMs: base + offsetMs,
      transient,
    });
    const request = requestJson({ items: ITEMS, deliveryPeriodSeconds: 60 });
    await ledger.as(ID.marketA, at(0))((ctx) => contract.createEscrow(ctx, 'esc-d', request));
    await ledger.as(ID.bea, at(1000))((ctx) => contract.acceptEscrow(ctx, 'esc-d'));
    await ledger.as(
      ID.paymentsA,
      at(2000),
    )((ctx) => contract.fundEscrow(ctx, 'esc-d', '10000', 'EUR', 'psp-d'));
    const shipment = { arguments: JSON.stringify({ item: 2, carrier: 'DHL', trackingRef: 'T-2' }) };
    await ledger.as(ID.bea, at(3000, shipment))((ctx) => raw.shipItem(ctx, 'esc-d'));
    const read = async () =>
      JSON.parse(await ledger.as(ID.auditor)((ctx) => raw.readEscrow(ctx, 'esc-d'))) as {
        state: string;
        itemLifecycles: { state: string; deliverBy: string | null }[];
      };
    const deliverBy = Date.parse((await read()).itemLifecycles[2]?.deliverBy ?? '');
    expect(deliverBy).to.equal(base + 3000 + 60_000);
    const expire = (txTimeMs?: number) =>
      ledger.as(ID.keeper, {
        ...(txTimeMs === undefined ? {} : { txTimeMs }),
        transient: { arguments: JSON.stringify({ item: 2 }) },
      })((ctx) => raw.expireItemDelivery(ctx, 'esc-d'));
    await expectRejection(() => expire(deliverBy), 'DEADLINE_NOT_REACHED');
    await expire();
    const after = await read();
    // The channel's default rule hands the item to the arbiter; the other items are untouched.
    expect(after.itemLifecycles.map((entry) => entry.state)).to.deep.equal(['FUNDED', 'FUNDED', 'DISPUTED']);
    expect(after.state).to.equal('DISPUTED');
    expect(ledger.events.at(-1)?.name).to.equal('ItemDeliveryOverdue');
  });
});
