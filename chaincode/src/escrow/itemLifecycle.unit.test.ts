// Items and milestones: each item's own lifecycle once funded, who may and who may not act on it,
// reject and return, and the money of each item and of the whole.
import { expect } from 'chai';
import { DEFAULT_CHANNEL_SETTINGS } from '../config/channelSettings';
import type { Actor } from '../identity/actor';
import { toStateJson } from '../ledger/stateSerializer';
import {
  ACTORS,
  DAY,
  FOUNDING_REGISTRY,
  HOUR,
  INSPECTION_SECONDS,
  SHIP_BY,
  type Step,
  T0,
  createRequest,
  expectRefusal,
  given,
  run,
} from '../testing/escrowFixtures';
import type { Escrow } from './escrow';
import { escrowFromBytes } from './escrowCodec';
import { checkInvariant } from './invariant';
import type { ItemCommand } from './itemLifecycle';
import { type Command, applyCommand } from './stateMachine';

const INSPECTION = INSPECTION_SECONDS * 1000;
const A = '0'.repeat(63) + 'a';

/** Alice buys three milestones from Bea, the fee split half and half: 10 000 + 15 000 + 5 001 cents. */
const THREE_ITEMS = createRequest({
  amount: '30001',
  items: [
    { description: 'Design', price: '10000' },
    { description: 'Build', price: '15000' },
    { description: 'Handover', price: '5001' },
  ],
  feePayer: 'split',
  buyerFeeShareBps: 5000,
});

const FUNDED: readonly Step[] = [
  [
    ACTORS.marketA,
    {
      type: 'create',
      escrowId: 'esc-items',
      request: THREE_ITEMS,
      privateDetailsHash: null,
      settings: DEFAULT_CHANNEL_SETTINGS,
      marketplaces: FOUNDING_REGISTRY,
    },
    T0,
  ],
  [ACTORS.bea, { type: 'accept' }, T0 + HOUR / 2],
  [ACTORS.paymentsA, { type: 'fund', amount: '30376', currency: 'EUR', providerRef: 'psp-items' }, T0 + HOUR],
];

const ship = (item: number): ItemCommand => ({
  type: 'shipItem',
  item,
  carrier: 'DHL',
  trackingRef: `T-${item}`,
});
const on = (
  type: 'confirmItemDelivery' | 'releaseItem' | 'confirmReturn' | 'expireReturn',
  item: number,
): ItemCommand => ({
  type,
  item,
});
const disputeItem = (item: number): ItemCommand => ({
  type: 'disputeItem',
  item,
  reason: 'scratched',
  evidenceHashes: [A],
});
const reject = (item: number): ItemCommand => ({ type: 'rejectItem', item, reason: 'not as described' });
const address = (item: number): ItemCommand => ({
  type: 'provideReturnAddress',
  item,
  addressHash: 'b'.repeat(64),
  addressStored: false,
});
const shipBack = (item: number): ItemCommand => ({
  type: 'shipReturn',
  item,
  carrier: 'UPS',
  trackingRef: `R-${item}`,
});

/** Item `item` shipped at T0+1d and delivered at T0+2d. */
function delivered(item: number): Step[] {
  return [
    [ACTORS.bea, ship(item), T0 + DAY],
    [ACTORS.alice, on('confirmItemDelivery', item), T0 + 2 * DAY],
  ];
}

function checked(steps: readonly Step[]): Escrow {
  let escrow: Escrow | undefined;
  for (const [who, command, at] of steps) {
    escrow = applyCommand(escrow, command, who, at).escrow;
    checkInvariant(escrow);
  }
  if (escrow === undefined) throw new Error('no steps');
  return escrow;
}

const itemOf = (escrow: Escrow, index: number) => escrow.itemLifecycles?.[index];

/** A refusal case: its name, the steps before, who acts, with what, when, and the expected code. */
type Refusal = readonly [string, readonly Step[], Actor, ItemCommand, number, string];

function itMayNot(cases: readonly Refusal[]): void {
  for (const [name, steps, who, command, at, code] of cases) {
    it(`may not: ${name} (${code})`, () => {
      given(steps)
        .when(who, command, at)
        .refusedWith(code as never);
    });
  }
}

describe('items and milestones', () => {
  it('splits into item lifecycles at the first item-level transaction, the fee share allocated exactly', () => {
    const before = run(FUNDED);
    expect(before.itemLifecycles).to.equal(null);
    const escrow = checked([...FUNDED, [ACTORS.bea, ship(1), T0 + DAY]]);
    expect(escrow.itemLifecycles?.map((item) => item.state)).to.deep.equal(['FUNDED', 'SHIPPED', 'FUNDED']);
    // 125 + 187 + 62 = 374, one unit short of the whole's 375: the first item takes it.
    expect(escrow.itemLifecycles?.map((item) => item.buyerFee)).to.deep.equal(['126', '187', '62']);
    expect(escrow.state).to.equal('FUNDED');
  });

  it('releasing one item pays only that item and leaves the escrow open', () => {
    const escrow = checked([...FUNDED, ...delivered(0), [ACTORS.alice, on('releaseItem', 0), T0 + 3 * DAY]]);
    expect(itemOf(escrow, 0)).to.include({
      state: 'RELEASED',
      buyerRefund: '1',
      sellerPayout: '9875',
      fee: '250',
    });
    expect(escrow).to.include({ state: 'FUNDED', buyerRefund: '0', sellerPayout: '0', fee: '0' });
  });

  it('a dispute freezes only its item; the escrow ends when every item has, with the sums of theirs', () => {
    const escrow = checked([
      ...FUNDED,
      ...delivered(0),
      ...delivered(1),
      [ACTORS.alice, disputeItem(1), T0 + 2 * DAY + HOUR],
      [ACTORS.alice, on('releaseItem', 0), T0 + 3 * DAY],
      [ACTORS.bea, ship(2), T0 + 3 * DAY],
      [ACTORS.alice, on('confirmItemDelivery', 2), T0 + 4 * DAY],
      [ACTORS.alice, on('releaseItem', 2), T0 + 4 * DAY + HOUR],
    ]);
    expect(escrow.state).to.equal('DISPUTED');
    const resolved = applyCommand(
      escrow,
      { type: 'resolveItem', item: 1, buyerRefund: '5000' },
      ACTORS.arbiter,
      T0 + 5 * DAY,
    );
    checkInvariant(resolved.escrow);
    expect(resolved.event.name).to.equal('ItemResolved');
    expect(resolved.event.payload.details).to.include({
      item: 1,
      itemState: 'RESOLVED',
      buyerRefund: '5000',
    });
    const whole = resolved.escrow;
    expect(whole.itemLifecycles?.map((item) => item.state)).to.deep.equal([
      'RELEASED',
      'RESOLVED',
      'RELEASED',
    ]);
    expect(whole.state).to.equal('RESOLVED');
    const total = (field: 'buyerRefund' | 'sellerPayout' | 'fee'): bigint =>
      (whole.itemLifecycles ?? []).reduce((acc, item) => acc + BigInt(item[field]), 0n);
    expect(whole.buyerRefund).to.equal(total('buyerRefund').toString());
    expect(BigInt(whole.buyerRefund) + BigInt(whole.sellerPayout) + BigInt(whole.fee)).to.equal(30376n);
    expect(whole.closure).to.not.equal(null);
  });

  it('anyone may release an item once its own inspection window is over, not before', () => {
    const steps = [...FUNDED, ...delivered(0)];
    given(steps)
      .when(ACTORS.keeper, on('releaseItem', 0), T0 + 2 * DAY + INSPECTION - 1)
      .refusedWith('DEADLINE_NOT_REACHED');
    const after = given(steps)
      .when(ACTORS.keeper, on('releaseItem', 0), T0 + 2 * DAY + INSPECTION)
      .then();
    expect(itemOf(after.escrow, 0)?.state).to.equal('RELEASED');
    given([...FUNDED, [ACTORS.bea, ship(0), T0 + DAY]])
      .when(ACTORS.keeper, on('releaseItem', 0), T0 + 30 * DAY)
      .refusedWith('FORBIDDEN_ACTOR');
  });

  describe('who may not', () => {
    const cases: readonly Refusal[] = [
      ['the buyer ship', FUNDED, ACTORS.alice, ship(0), T0 + DAY, 'FORBIDDEN_ACTOR'],
      ['the seller’s marketplace ship', FUNDED, ACTORS.marketB, ship(0), T0 + DAY, 'FORBIDDEN_ACTOR'],
      ['the seller ship after ship-by', FUNDED, ACTORS.bea, ship(0), SHIP_BY + 1, 'DEADLINE_PASSED'],
      [
        'the seller confirm delivery',
        [...FUNDED, [ACTORS.bea, ship(0), T0 + DAY]],
        ACTORS.bea,
        on('confirmItemDelivery', 0),
        T0 + 2 * DAY,
        'FORBIDDEN_ACTOR',
      ],
      [
        'the seller’s carrier confirm delivery',
        [...FUNDED, [ACTORS.bea, ship(0), T0 + DAY]],
        ACTORS.carrierB,
        on('confirmItemDelivery', 0),
        T0 + 2 * DAY,
        'FORBIDDEN_ACTOR',
      ],
      [
        'the seller dispute',
        [...FUNDED, ...delivered(0)],
        ACTORS.bea,
        disputeItem(0),
        T0 + 3 * DAY,
        'FORBIDDEN_ACTOR',
      ],
      [
        'the buyer dispute after the window',
        [...FUNDED, ...delivered(0)],
        ACTORS.alice,
        disputeItem(0),
        T0 + 2 * DAY + INSPECTION,
        'DEADLINE_PASSED',
      ],
      [
        'the buyer dispute an unshipped item before ship-by',
        FUNDED,
        ACTORS.alice,
        disputeItem(0),
        T0 + DAY,
        'DEADLINE_NOT_REACHED',
      ],
      [
        'anyone but the arbiter resolve',
        [...FUNDED, ...delivered(0), [ACTORS.alice, disputeItem(0), T0 + 3 * DAY]],
        ACTORS.alice,
        { type: 'resolveItem', item: 0, buyerRefund: '1' },
        T0 + 4 * DAY,
        'FORBIDDEN_ACTOR',
      ],
      [
        'the arbiter refund more than the item',
        [...FUNDED, ...delivered(0), [ACTORS.alice, disputeItem(0), T0 + 3 * DAY]],
        ACTORS.arbiter,
        { type: 'resolveItem', item: 0, buyerRefund: '10001' },
        T0 + 4 * DAY,
        'INVALID_INPUT',
      ],
      [
        'the arbiter resolve an item not disputed',
        [...FUNDED, ...delivered(0), [ACTORS.alice, disputeItem(0), T0 + 3 * DAY]],
        ACTORS.arbiter,
        { type: 'resolveItem', item: 1, buyerRefund: '1' },
        T0 + 4 * DAY,
        'INVALID_STATE',
      ],
      ['anyone act on an item that does not exist', FUNDED, ACTORS.bea, ship(3), T0 + DAY, 'ITEM_NOT_FOUND'],
      [
        'anyone name an item by anything but its index',
        FUNDED,
        ACTORS.bea,
        { ...ship(0), item: '01' },
        T0 + DAY,
        'INVALID_INPUT',
      ],
      [
        'anyone act on an item before funding',
        FUNDED.slice(0, 2),
        ACTORS.bea,
        ship(0),
        T0 + DAY,
        'INVALID_STATE',
      ],
      [
        'the buyer release an item twice',
        [...FUNDED, ...delivered(0), [ACTORS.alice, on('releaseItem', 0), T0 + 3 * DAY]],
        ACTORS.alice,
        on('releaseItem', 0),
        T0 + 3 * DAY,
        'INVALID_STATE',
      ],
    ];
    itMayNot(cases);

    it('an escrow split into items refuses the escrow-level moves', () => {
      const split = [...FUNDED, [ACTORS.bea, ship(0), T0 + DAY] as const];
      const whole: readonly [Actor, Command][] = [
        [ACTORS.bea, { type: 'ship', carrier: 'DHL', trackingRef: 'T' }],
        [ACTORS.alice, { type: 'confirmDelivery' }],
        [ACTORS.alice, { type: 'release' }],
        [ACTORS.bea, { type: 'cancel' }],
        [ACTORS.arbiter, { type: 'resolve', buyerRefund: '0' }],
      ];
      for (const [who, command] of whole)
        given(split)
          .when(who, command, T0 + 2 * DAY)
          .refusedWith('INVALID_STATE');
    });
  });

  describe('reject and return', () => {
    const rejected = [...FUNDED, ...delivered(0), [ACTORS.alice, reject(0), T0 + 3 * DAY] as const];
    const addressed = [...rejected, [ACTORS.bea, address(0), T0 + 3 * DAY + HOUR] as const];
    const returning = [...addressed, [ACTORS.alice, shipBack(0), T0 + 4 * DAY] as const];

    it('the buyer rejects within the window, the seller gives an address, the buyer ships back, the seller confirms: refunded in full', () => {
      const escrow = checked([...returning, [ACTORS.bea, on('confirmReturn', 0), T0 + 6 * DAY]]);
      expect(itemOf(escrow, 0)).to.include({
        state: 'REFUNDED',
        buyerRefund: '10126',
        sellerPayout: '0',
        fee: '0',
      });
      expect(itemOf(escrow, 0)?.rejection?.reason).to.equal('not as described');
      expect(itemOf(escrow, 0)?.returnAddress?.hash).to.equal('b'.repeat(64));
      expect(itemOf(escrow, 0)?.returnShipment?.trackingRef).to.equal('R-0');
    });

    it('the seller disputing the returned goods puts the item before the arbiter', () => {
      const dispute: ItemCommand = {
        type: 'disputeReturn',
        item: 0,
        reason: 'returned broken',
        evidenceHashes: [],
      };
      const escrow = checked([...returning, [ACTORS.bea, dispute, T0 + 5 * DAY]]);
      expect(itemOf(escrow, 0)?.state).to.equal('DISPUTED');
      expect(escrow.state).to.equal('DISPUTED');
    });

    it('the return deadline passing refunds the item (anyone may apply it), not before', () => {
      const returnBy = Date.parse(run(returning).itemLifecycles?.[0]?.returnShipment?.returnBy ?? '');
      given(returning)
        .when(ACTORS.keeper, on('expireReturn', 0), returnBy)
        .refusedWith('DEADLINE_NOT_REACHED');
      const after = given(returning)
        .when(ACTORS.keeper, on('expireReturn', 0), returnBy + 1)
        .then();
      expect(itemOf(after.escrow, 0)?.state).to.equal('REFUNDED');
      expect(after.event.payload.details).to.include({ missed: 'returnBy' });
    });

    it('no address by addressBy refunds the item; no shipment back by shipBackBy releases it', () => {
      const late = T0 + 3 * DAY + INSPECTION + 1;
      expect(
        itemOf(given(rejected).when(ACTORS.keeper, on('expireReturn', 0), late).then().escrow, 0)?.state,
      ).to.equal('REFUNDED');
      const kept = given(addressed)
        .when(ACTORS.keeper, on('expireReturn', 0), T0 + 3 * DAY + HOUR + INSPECTION + 1)
        .then();
      expect(itemOf(kept.escrow, 0)?.state).to.equal('RELEASED');
    });

    const refusals: readonly Refusal[] = [
      [
        'the seller reject',
        [...FUNDED, ...delivered(0)],
        ACTORS.bea,
        reject(0),
        T0 + 3 * DAY,
        'FORBIDDEN_ACTOR',
      ],
      [
        'the buyer reject after the window',
        [...FUNDED, ...delivered(0)],
        ACTORS.alice,
        reject(0),
        T0 + 2 * DAY + INSPECTION,
        'DEADLINE_PASSED',
      ],
      [
        'the buyer reject an item not delivered',
        [...FUNDED, [ACTORS.bea, ship(0), T0 + DAY]],
        ACTORS.alice,
        reject(0),
        T0 + 2 * DAY,
        'INVALID_STATE',
      ],
      [
        'the buyer give the return address',
        rejected,
        ACTORS.alice,
        address(0),
        T0 + 3 * DAY + HOUR,
        'FORBIDDEN_ACTOR',
      ],
      [
        'the seller give a second address once the first is stored',
        addressed,
        ACTORS.bea,
        { type: 'provideReturnAddress', item: 0, addressHash: 'c'.repeat(64), addressStored: true },
        T0 + 3 * DAY + 2 * HOUR,
        'INVALID_STATE',
      ],
      [
        'the seller give an address after addressBy',
        rejected,
        ACTORS.bea,
        address(0),
        T0 + 3 * DAY + INSPECTION + 1,
        'DEADLINE_PASSED',
      ],
      [
        'the seller give something other than a hash',
        rejected,
        ACTORS.bea,
        { type: 'provideReturnAddress', item: 0, addressHash: 'street', addressStored: false },
        T0 + 4 * DAY,
        'INVALID_INPUT',
      ],
      [
        'the buyer ship back before an address',
        rejected,
        ACTORS.alice,
        shipBack(0),
        T0 + 4 * DAY,
        'INVALID_STATE',
      ],
      ['the seller ship the return', addressed, ACTORS.bea, shipBack(0), T0 + 4 * DAY, 'FORBIDDEN_ACTOR'],
      [
        'the buyer confirm the return',
        returning,
        ACTORS.alice,
        on('confirmReturn', 0),
        T0 + 5 * DAY,
        'FORBIDDEN_ACTOR',
      ],
      [
        'the seller’s marketplace confirm the return',
        returning,
        ACTORS.marketB,
        on('confirmReturn', 0),
        T0 + 5 * DAY,
        'FORBIDDEN_ACTOR',
      ],
      [
        'the buyer dispute the return',
        returning,
        ACTORS.alice,
        { type: 'disputeReturn', item: 0, reason: 'x', evidenceHashes: [] },
        T0 + 5 * DAY,
        'FORBIDDEN_ACTOR',
      ],
      [
        'the seller release a rejected item',
        rejected,
        ACTORS.bea,
        on('releaseItem', 0),
        T0 + 30 * DAY,
        'INVALID_STATE',
      ],
      [
        'anyone expire a return not yet due',
        returning,
        ACTORS.keeper,
        on('expireReturn', 0),
        T0 + 5 * DAY,
        'DEADLINE_NOT_REACHED',
      ],
      [
        'anyone expire the return of an item never rejected',
        [...FUNDED, ...delivered(0)],
        ACTORS.keeper,
        on('expireReturn', 0),
        T0 + 30 * DAY,
        'INVALID_STATE',
      ],
    ];
    itMayNot(refusals);
  });

  describe('settlement offers per item', () => {
    // Item 1 (15 000, its fee share 187) disputed at T0+2d+1h, while item 0 is delivered and open.
    const disputed: Step[] = [
      ...FUNDED,
      ...delivered(0),
      ...delivered(1),
      [ACTORS.alice, disputeItem(1), T0 + 2 * DAY + HOUR],
    ];
    const offerItem = (item: number, buyerRefund: string, expiresAt?: number): ItemCommand => ({
      type: 'offerItemSettlement',
      item,
      buyerRefund,
      ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt).toISOString() }),
    });
    const answer = (type: 'acceptItemOffer' | 'declineItemOffer', item: number): ItemCommand => ({
      type,
      item,
    });
    const offered: Step[] = [...disputed, [ACTORS.bea, offerItem(1, '4000'), T0 + 3 * DAY]];

    it('an accepted offer resolves only its item at the split, with no arbiter, the fee from the seller’s share', () => {
      const escrow = checked([...offered, [ACTORS.alice, answer('acceptItemOffer', 1), T0 + 3 * DAY + HOUR]]);
      const item = itemOf(escrow, 1);
      // Seller's share 11 000: fee 275, the buyer bears half (137) out of its prepaid 187.
      expect(item).to.include({ state: 'RESOLVED', buyerRefund: '4050', sellerPayout: '10862', fee: '275' });
      expect(item?.offers.map((offer) => offer.status)).to.deep.equal(['accepted']);
      expect(item?.closure?.closedBy).to.deep.equal(ACTORS.alice);
      expect(itemOf(escrow, 0)?.state).to.equal('DELIVERED');
      expect(escrow.state).to.equal('FUNDED');
      const accepted = applyCommand(
        run(offered),
        answer('acceptItemOffer', 1),
        ACTORS.alice,
        T0 + 3 * DAY + HOUR,
      );
      expect(accepted.event.name).to.equal('ItemOfferAccepted');
      expect(accepted.event.payload.details).to.deep.equal({
        item: 1,
        itemState: 'RESOLVED',
        offeredBy: 'seller',
        buyerRefund: '4000',
      });
    });

    it('a counter-offer marks the open one countered; one’s own new offer supersedes; the arbiter sees them all', () => {
      const escrow = checked([
        ...offered,
        [ACTORS.alice, offerItem(1, '6000'), T0 + 3 * DAY + HOUR],
        [ACTORS.alice, offerItem(1, '5500'), T0 + 3 * DAY + 2 * HOUR],
      ]);
      const offers = itemOf(escrow, 1)?.offers ?? [];
      expect(offers.map((offer) => [offer.offeredBy, offer.buyerRefund, offer.status])).to.deep.equal([
        ['seller', '4000', 'countered'],
        ['buyer', '6000', 'superseded'],
        ['buyer', '5500', 'open'],
      ]);
      expect(escrow.offers).to.deep.equal([]);
      const counter = applyCommand(run(offered), offerItem(1, '6000'), ACTORS.alice, T0 + 3 * DAY + HOUR);
      expect(counter.event.name).to.equal('ItemSettlementOffered');
      expect(counter.event.payload.details).to.include({
        item: 1,
        offeredBy: 'buyer',
        replaced: 'countered',
      });
      const resolved = checked([
        ...offered,
        [ACTORS.arbiter, { type: 'resolveItem', item: 1, buyerRefund: '7000' }, T0 + 4 * DAY],
      ]);
      expect(itemOf(resolved, 1)?.offers).to.have.length(1);
    });

    it('a declined offer leaves the item disputed; an offer past its expiry can no longer be accepted', () => {
      const declined = checked([
        ...offered,
        [ACTORS.alice, answer('declineItemOffer', 1), T0 + 3 * DAY + HOUR],
      ]);
      expect(itemOf(declined, 1)?.state).to.equal('DISPUTED');
      expect(itemOf(declined, 1)?.offers[0]?.status).to.equal('declined');
      const short = [
        ...disputed,
        [ACTORS.bea, offerItem(1, '4000', T0 + 3 * DAY + HOUR), T0 + 3 * DAY] as const,
      ];
      given(short)
        .when(ACTORS.alice, answer('acceptItemOffer', 1), T0 + 3 * DAY + HOUR + 1)
        .refusedWith('DEADLINE_PASSED');
      const next = checked([...short, [ACTORS.alice, offerItem(1, '8000'), T0 + 4 * DAY]]);
      expect(itemOf(next, 1)?.offers[0]?.status).to.equal('expired');
    });

    it('offers default to the escrow-level period and are bounded as they are', () => {
      const escrow = checked(offered);
      expect(itemOf(escrow, 1)?.offers[0]?.expiresAt).to.equal(new Date(T0 + 6 * DAY).toISOString());
      given(disputed)
        .when(ACTORS.bea, offerItem(1, '1', T0 + 3 * DAY + 15 * DAY), T0 + 3 * DAY)
        .refusedWith('INVALID_INPUT');
    });

    const refusals: readonly Refusal[] = [
      ['the arbiter offer', disputed, ACTORS.arbiter, offerItem(1, '1'), T0 + 3 * DAY, 'FORBIDDEN_ACTOR'],
      [
        'the buyer’s marketplace backend offer for its customer',
        disputed,
        ACTORS.marketA,
        offerItem(1, '1'),
        T0 + 3 * DAY,
        'FORBIDDEN_ACTOR',
      ],
      [
        'the seller’s marketplace backend accept for the other marketplace’s customer',
        [...disputed, [ACTORS.bea, offerItem(1, '4000'), T0 + 3 * DAY]],
        ACTORS.marketB,
        answer('acceptItemOffer', 1),
        T0 + 3 * DAY + HOUR,
        'FORBIDDEN_ACTOR',
      ],
      [
        'another buyer of the buyer’s marketplace accept',
        offered,
        ACTORS.mallory,
        answer('acceptItemOffer', 1),
        T0 + 3 * DAY + HOUR,
        'FORBIDDEN_ACTOR',
      ],
      [
        'the offeror accept its own offer',
        offered,
        ACTORS.bea,
        answer('acceptItemOffer', 1),
        T0 + 3 * DAY + HOUR,
        'FORBIDDEN_ACTOR',
      ],
      [
        'the offeror decline its own offer',
        offered,
        ACTORS.bea,
        answer('declineItemOffer', 1),
        T0 + 3 * DAY + HOUR,
        'FORBIDDEN_ACTOR',
      ],
      [
        'anyone offer on an item not disputed',
        disputed,
        ACTORS.alice,
        offerItem(0, '1'),
        T0 + 3 * DAY,
        'INVALID_STATE',
      ],
      [
        'anyone offer more than the item’s price',
        disputed,
        ACTORS.alice,
        offerItem(1, '15001'),
        T0 + 3 * DAY,
        'INVALID_INPUT',
      ],
      [
        'anyone accept where no offer is open',
        disputed,
        ACTORS.alice,
        answer('acceptItemOffer', 1),
        T0 + 3 * DAY,
        'OFFER_NOT_FOUND',
      ],
      [
        'the escrow-level accept stand in for the item’s',
        offered,
        ACTORS.alice,
        { type: 'acceptOffer' } as never,
        T0 + 3 * DAY + HOUR,
        'INVALID_STATE',
      ],
    ];
    itMayNot(refusals);
  });

  describe('settling item by item', () => {
    const releasedZero = [
      ...FUNDED,
      ...delivered(0),
      [ACTORS.alice, on('releaseItem', 0), T0 + 3 * DAY] as const,
    ];
    const record = (payee: string, item?: number): Command => ({
      type: 'recordSettlement',
      payee,
      providerRef: `re_${payee}_${String(item)}`,
      ...(item === undefined ? {} : { item }),
    });

    it('records an ended item’s own refund while the others are open, once', () => {
      const recorded = given(releasedZero)
        .when(ACTORS.paymentsA, record('buyer', 0), T0 + 3 * DAY + HOUR)
        .then();
      checkInvariant(recorded.escrow);
      expect(itemOf(recorded.escrow, 0)?.settlements.buyer).to.include({
        amount: '1',
        providerRef: 're_buyer_0',
      });
      expect(recorded.escrow.settlements).to.deep.equal({ buyer: null, seller: null });
      expect(recorded.event.name).to.equal('SettlementRecorded');
      expect(recorded.event.payload.details).to.deep.equal({
        payee: 'buyer',
        amount: '1',
        providerRef: 're_buyer_0',
        item: 0,
      });
      given([...releasedZero, [ACTORS.paymentsA, record('buyer', 0), T0 + 3 * DAY + HOUR]])
        .when(ACTORS.paymentsA, record('buyer', 0), T0 + 3 * DAY + 2 * HOUR)
        .refusedWith('ALREADY_SETTLED');
    });

    it('may not: record an open item, the seller across marketplaces, another org, or the whole beside its items', () => {
      given(releasedZero)
        .when(ACTORS.paymentsA, record('buyer', 1), T0 + 4 * DAY)
        .refusedWith('INVALID_STATE');
      given(releasedZero)
        .when(ACTORS.paymentsA, record('seller', 0), T0 + 4 * DAY)
        .refusedWith('INVALID_INPUT');
      given(releasedZero)
        .when(ACTORS.bea, record('buyer', 0), T0 + 4 * DAY)
        .refusedWith('FORBIDDEN_ACTOR');
      given(releasedZero)
        .when(ACTORS.paymentsA, record('buyer', 5), T0 + 4 * DAY)
        .refusedWith('ITEM_NOT_FOUND');
      const allEnded = [
        ...releasedZero,
        [ACTORS.paymentsA, record('buyer', 0), T0 + 3 * DAY + HOUR] as const,
        [
          ACTORS.arbiter,
          { type: 'endSuspended', suspendedMarketplace: 'MarketB', buyerRefund: '0' },
          T0 + 4 * DAY,
        ] as const,
      ];
      expect(run(allEnded).state).to.equal('RESOLVED');
      given(allEnded)
        .when(ACTORS.paymentsA, record('buyer'), T0 + 5 * DAY)
        .refusedWith('ALREADY_SETTLED');
    });
  });

  describe('an item’s delivery deadline', () => {
    const DELIVERY = 30 * DAY; // the channel's default delivery period (the terms name none)
    const shipped = [...FUNDED, [ACTORS.bea, ship(1), T0 + DAY] as const];
    const deliverBy = T0 + DAY + DELIVERY;
    const expire = (outcome: 'dispute' | 'refund'): ItemCommand => ({
      type: 'expireItemDelivery',
      item: 1,
      outcome,
    });

    it('past deliverBy, anyone applies the channel’s rule to that item alone: refund or dispute', () => {
      expect(itemOf(run(shipped), 1)?.deliverBy).to.equal(new Date(deliverBy).toISOString());
      const refunded = given(shipped)
        .when(ACTORS.keeper, expire('refund'), deliverBy + 1)
        .then();
      checkInvariant(refunded.escrow);
      expect(itemOf(refunded.escrow, 1)).to.include({
        state: 'REFUNDED',
        buyerRefund: '15187',
        sellerPayout: '0',
        fee: '0',
      });
      expect(refunded.escrow.itemLifecycles?.map((item) => item.state)).to.deep.equal([
        'FUNDED',
        'REFUNDED',
        'FUNDED',
      ]);
      expect(refunded.event.name).to.equal('ItemDeliveryOverdue');
      expect(refunded.event.payload.details).to.deep.equal({
        item: 1,
        itemState: 'REFUNDED',
        outcome: 'refund',
        deliverBy: new Date(deliverBy).toISOString(),
      });
      const disputed = given(shipped)
        .when(ACTORS.alice, expire('dispute'), deliverBy + 1)
        .then();
      expect(itemOf(disputed.escrow, 1)?.state).to.equal('DISPUTED');
      expect(itemOf(disputed.escrow, 1)?.dispute?.reason).to.equal('delivery deadline passed');
      expect(disputed.escrow.state).to.equal('DISPUTED');
      // The arbiter then decides the item as any disputed one.
      const resolved = applyCommand(
        disputed.escrow,
        { type: 'resolveItem', item: 1, buyerRefund: '15000' },
        ACTORS.arbiter,
        deliverBy + DAY,
      );
      expect(itemOf(resolved.escrow, 1)?.state).to.equal('RESOLVED');
    });

    itMayNot([
      [
        'expire a delivery before deliverBy',
        shipped,
        ACTORS.keeper,
        expire('refund'),
        deliverBy,
        'DEADLINE_NOT_REACHED',
      ],
      [
        'expire a delivery of an unshipped item',
        shipped,
        ACTORS.keeper,
        { ...expire('refund'), item: 0 },
        deliverBy + 1,
        'INVALID_STATE',
      ],
      [
        'expire a delivery the buyer confirmed',
        [...shipped, [ACTORS.alice, on('confirmItemDelivery', 1), T0 + 2 * DAY]],
        ACTORS.keeper,
        expire('refund'),
        deliverBy + 1,
        'INVALID_STATE',
      ],
      [
        'expire a delivery twice',
        [...shipped, [ACTORS.keeper, expire('dispute'), deliverBy + 1]],
        ACTORS.keeper,
        expire('dispute'),
        deliverBy + 2,
        'INVALID_STATE',
      ],
      [
        'expire a delivery of an item the escrow does not have',
        shipped,
        ACTORS.keeper,
        { ...expire('refund'), item: 3 },
        deliverBy + 1,
        'ITEM_NOT_FOUND',
      ],
    ]);

    it('is decided by the transaction time: a confirmation in time wins over a late keeper', () => {
      const confirmed = [...shipped, [ACTORS.alice, on('confirmItemDelivery', 1), deliverBy] as const];
      given(confirmed)
        .when(ACTORS.keeper, expire('refund'), deliverBy + 1)
        .refusedWith('INVALID_STATE');
    });
  });

  describe('ending a suspended marketplace’s escrow that moves per item', () => {
    const released = [
      ...FUNDED,
      ...delivered(0),
      [ACTORS.alice, on('releaseItem', 0), T0 + 3 * DAY] as const,
    ];
    const open = [
      ...released,
      [ACTORS.bea, ship(1), T0 + 3 * DAY] as const,
      [ACTORS.alice, disputeItem(1), T0 + 3 * DAY + HOUR] as const,
    ];
    const endSuspended = (buyerRefund: string | undefined): Command => ({
      type: 'endSuspended',
      suspendedMarketplace: 'MarketB',
      buyerRefund,
    });

    it('ends every open item RESOLVED, the refund shared by price; an ended item keeps its split', () => {
      const before = run(open);
      const ended = given(open)
        .when(ACTORS.arbiter, endSuspended('8000'), T0 + 4 * DAY)
        .then();
      checkInvariant(ended.escrow);
      // Open: item 1 (15 000) and item 2 (5 001); 8 000 of their 20 001 shares as 5 999 + 2 000 and
      // the unit left over goes to the first: goods refunds of 6 000 and 2 000.
      expect(ended.escrow.itemLifecycles?.[0]).to.deep.equal(before.itemLifecycles?.[0]);
      expect(ended.escrow.itemLifecycles?.map((item) => item.state)).to.deep.equal([
        'RELEASED',
        'RESOLVED',
        'RESOLVED',
      ]);
      expect(itemOf(ended.escrow, 1)).to.include({ buyerRefund: '6075', sellerPayout: '8887', fee: '225' });
      expect(itemOf(ended.escrow, 2)).to.include({ buyerRefund: '2025', sellerPayout: '2963', fee: '75' });
      expect(ended.escrow.state).to.equal('RESOLVED');
      expect(ended.escrow.closure).to.not.equal(null);
      const total =
        BigInt(ended.escrow.buyerRefund) + BigInt(ended.escrow.sellerPayout) + BigInt(ended.escrow.fee);
      expect(total).to.equal(BigInt(ended.escrow.fundedAmount));
      expect(ended.event.name).to.equal('Resolved');
      expect(ended.event.payload.details).to.deep.equal({
        suspendedMarketplace: 'MarketB',
        endedItems: '1,2',
        buyerRefund: '8000',
      });
    });

    it('refunds the open items in full at their prices, and pays them in full at zero', () => {
      const refunded = given(open)
        .when(ACTORS.arbiter, endSuspended('20001'), T0 + 4 * DAY)
        .then();
      expect(itemOf(refunded.escrow, 1)).to.include({ buyerRefund: '15187', sellerPayout: '0', fee: '0' });
      expect(itemOf(refunded.escrow, 2)).to.include({ buyerRefund: '5063', sellerPayout: '0', fee: '0' });
      const paid = given(open)
        .when(ACTORS.arbiter, endSuspended('0'), T0 + 4 * DAY)
        .then();
      expect(itemOf(paid.escrow, 1)).to.include({ state: 'RESOLVED', fee: '375' });
      expect(itemOf(paid.escrow, 2)).to.include({ state: 'RESOLVED', fee: '125' });
    });

    it('may not: end it without a refund, refund more than the open items’ prices, or as the seller', () => {
      given(open)
        .when(ACTORS.arbiter, endSuspended(undefined), T0 + 4 * DAY)
        .refusedWith('INVALID_INPUT');
      given(open)
        .when(ACTORS.arbiter, endSuspended('20002'), T0 + 4 * DAY)
        .refusedWith('INVALID_INPUT');
      given(open)
        .when(ACTORS.bea, endSuspended('0'), T0 + 4 * DAY)
        .refusedWith('FORBIDDEN_ACTOR');
    });
  });

  describe('existing escrows', () => {
    it('a record written before items had lifecycles reads with none and still acts at the escrow level', () => {
      const funded = run(FUNDED);
      const stored = JSON.parse(toStateJson(funded)) as Record<string, unknown>;
      delete stored.itemLifecycles;
      const old = escrowFromBytes(Buffer.from(JSON.stringify(stored)));
      expect(old.itemLifecycles).to.equal(null);
      const shipped = applyCommand(
        old,
        { type: 'ship', carrier: 'DHL', trackingRef: 'T' },
        ACTORS.bea,
        T0 + DAY,
      );
      expect(shipped.escrow.state).to.equal('SHIPPED');
      const split = applyCommand(
        shipped.escrow,
        on('confirmItemDelivery', 2),
        ACTORS.alice,
        T0 + 2 * DAY,
      ).escrow;
      expect(split.itemLifecycles?.map((item) => item.state)).to.deep.equal([
        'SHIPPED',
        'SHIPPED',
        'DELIVERED',
      ]);
      expect(escrowFromBytes(Buffer.from(toStateJson(split)))).to.deep.equal(split);
    });

    it('a one-item escrow ends with the same split through its item as through the escrow', () => {
      const oneItem: Step[] = FUNDED.map(([who, command, at]) => {
        if (command.type === 'create')
          return [
            who,
            { ...command, request: { ...THREE_ITEMS, items: [{ description: 'All', price: '30001' }] } },
            at,
          ];
        return [who, command, at];
      });
      const viaEscrow = checked([
        ...oneItem,
        [ACTORS.bea, { type: 'ship', carrier: 'DHL', trackingRef: 'T' }, T0 + DAY],
        [ACTORS.alice, { type: 'dispute', reason: 'x', evidenceHashes: [] }, T0 + 2 * DAY],
        [ACTORS.arbiter, { type: 'resolve', buyerRefund: '7777' }, T0 + 3 * DAY],
      ]);
      const viaItem = checked([
        ...oneItem,
        [ACTORS.bea, ship(0), T0 + DAY],
        [ACTORS.alice, disputeItem(0), T0 + 2 * DAY],
        [ACTORS.arbiter, { type: 'resolveItem', item: 0, buyerRefund: '7777' }, T0 + 3 * DAY],
      ]);
      for (const field of ['state', 'buyerRefund', 'sellerPayout', 'fee'] as const)
        expect(viaItem[field], field).to.equal(viaEscrow[field]);
    });

    it('refuses an item-level move on an escrow disputed as a whole', () => {
      expectRefusal(
        () =>
          applyCommand(
            checked([
              ...FUNDED,
              [ACTORS.alice, { type: 'dispute', reason: 'x', evidenceHashes: [] }, SHIP_BY + 1],
            ]),
            ship(0),
            ACTORS.bea,
            SHIP_BY + 2,
          ),
        'INVALID_STATE',
      );
    });
  });
});
