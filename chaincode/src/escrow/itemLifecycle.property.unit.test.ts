// Property tests of items and milestones: thousands of random multi-item escrows (random prices,
// fees and fee payers), each driven through random item-level commands (random items, actors and
// times around every item deadline, settlement offers and their answers, mixed with escrow-level
// moves) and checked against an
// independent rulebook and the money invariant per item and for the whole.
import { expect } from 'chai';
import fc from 'fast-check';
import { EscrowError, type ErrorCode } from '../errors/escrowErrors';
import type { Actor } from '../identity/actor';
import { toStateJson } from '../ledger/stateSerializer';
import { ACTORS, DAY, FOUNDING_REGISTRY, HOUR, T0, WIDEST_SETTINGS } from '../testing/escrowFixtures';
import { type Escrow, isTerminal } from './escrow';
import { escrowFromBytes } from './escrowCodec';
import { checkInvariant } from './invariant';
import {
  ITEM_COMMAND_TYPES,
  ITEM_STATES,
  type ItemCommand,
  type ItemLifecycle,
  type ItemState,
  isTerminalItem,
} from './itemLifecycle';
import { amountDue } from './money';
import { type Command, applyCommand } from './stateMachine';

const SEQUENCE_RUNS = 5_000;
const MAX_STEPS = 40;
const SHIP_BY = T0 + 7 * DAY;
const POOL: readonly Actor[] = [
  ACTORS.alice,
  ACTORS.bea,
  ACTORS.arbiter,
  ACTORS.keeper,
  ACTORS.marketA,
  ACTORS.marketB,
  ACTORS.carrierA,
  ACTORS.carrierB,
  ACTORS.amir,
  ACTORS.bob,
];
const REFUSALS: readonly ErrorCode[] = [
  'INVALID_STATE',
  'FORBIDDEN_ACTOR',
  'DEADLINE_PASSED',
  'DEADLINE_NOT_REACHED',
  'INVALID_INPUT',
  'ITEM_NOT_FOUND',
  'OFFER_NOT_FOUND',
  'OFFER_LIMIT_REACHED',
];

const WHOLE_MOVES = ['ship', 'confirmDelivery', 'release'] as const;
type Kind = ItemCommand['type'] | (typeof WHOLE_MOVES)[number];
const KINDS: readonly Kind[] = [...ITEM_COMMAND_TYPES, ...WHOLE_MOVES];

// ---- the independent rulebook ----

const at = (instant: string | null | undefined): number =>
  instant === null || instant === undefined ? Number.NaN : Date.parse(instant);

/** The item as the rules see it: its lifecycle, or before the split the escrow's own standing. */
function itemView(e: Escrow, index: number): ItemLifecycle | undefined {
  if (e.itemLifecycles !== null) return e.itemLifecycles[index];
  if (e.state !== 'FUNDED' && e.state !== 'SHIPPED' && e.state !== 'DELIVERED') return undefined;
  return {
    state: e.state,
    buyerFee: '0',
    shipment: e.shipment,
    deliverBy: e.deliverBy,
    delivery: e.delivery,
    dispute: null,
    rejection: null,
    returnAddress: null,
    returnShipment: null,
    offers: [],
    buyerRefund: '0',
    sellerPayout: '0',
    fee: '0',
    closure: null,
    settlements: { buyer: null, seller: null },
  };
}

const openOfferOf = (item: ItemLifecycle | undefined) =>
  item?.offers.at(-1)?.status === 'open' ? item.offers.at(-1) : undefined;

function mayAct(
  e: Escrow,
  kind: Kind,
  index: number,
  refund: bigint,
  who: Actor,
  now: number,
  flip: boolean,
): boolean {
  const buyer = who === ACTORS.alice;
  const seller = who === ACTORS.bea;
  // Delivery is the buyer's word or a carrier of the buyer's marketplace (or Oversight's).
  const buyerSide = buyer || who === ACTORS.carrierA;
  if (kind === 'ship') return e.itemLifecycles === null && e.state === 'FUNDED' && seller && now <= SHIP_BY;
  if (kind === 'confirmDelivery') return e.itemLifecycles === null && e.state === 'SHIPPED' && buyerSide;
  if (kind === 'release') {
    if (e.itemLifecycles !== null || (e.state !== 'SHIPPED' && e.state !== 'DELIVERED')) return false;
    return buyer || (e.delivery !== null && now >= at(e.delivery.inspectionEndsAt));
  }
  const price = BigInt(e.items[index]?.price ?? '-1');
  const item = index < e.items.length ? itemView(e, index) : undefined;
  if (item === undefined) return false;
  const inspectionEnds = at(item.delivery?.inspectionEndsAt);
  const s: ItemState = item.state;
  const open = openOfferOf(item);
  const side = buyer ? 'buyer' : 'seller';
  switch (kind) {
    case 'shipItem':
      return s === 'FUNDED' && seller && now <= SHIP_BY;
    case 'confirmItemDelivery':
      return s === 'SHIPPED' && buyerSide;
    case 'releaseItem':
      return (
        (s === 'SHIPPED' || s === 'DELIVERED') && (buyer || (s === 'DELIVERED' && now >= inspectionEnds))
      );
    case 'disputeItem':
      return (
        buyer &&
        ((s === 'FUNDED' && now > SHIP_BY) || s === 'SHIPPED' || (s === 'DELIVERED' && now < inspectionEnds))
      );
    case 'resolveItem':
      return s === 'DISPUTED' && who === ACTORS.arbiter && refund <= price;
    case 'rejectItem':
      return s === 'DELIVERED' && buyer && now < inspectionEnds;
    case 'provideReturnAddress':
      // A declared address whose data never reached the collection is declared anew (flip: stored).
      if (s !== 'REJECTED' || !seller) return false;
      return item.returnAddress === null ? now <= at(item.rejection?.addressBy) : !flip;
    case 'expireItemDelivery':
      return s === 'SHIPPED' && item.deliverBy !== null && now > at(item.deliverBy);
    case 'shipReturn':
      return (
        s === 'REJECTED' && buyer && item.returnAddress !== null && now <= at(item.returnAddress.shipBackBy)
      );
    case 'confirmReturn':
      return s === 'RETURN_SHIPPED' && seller;
    case 'disputeReturn':
      return s === 'RETURN_SHIPPED' && seller && now < at(item.returnShipment?.returnBy);
    case 'expireReturn':
      if (s === 'RETURN_SHIPPED') return now > at(item.returnShipment?.returnBy);
      if (s !== 'REJECTED') return false;
      return item.returnAddress === null
        ? now > at(item.rejection?.addressBy)
        : now > at(item.returnAddress.shipBackBy);
    case 'offerItemSettlement':
      return s === 'DISPUTED' && (buyer || seller) && refund <= price && item.offers.length < 20;
    case 'acceptItemOffer':
    case 'declineItemOffer':
      return (
        s === 'DISPUTED' &&
        (buyer || seller) &&
        open !== undefined &&
        open.offeredBy !== side &&
        now <= at(open.expiresAt)
      );
  }
}

/** Offers go back and forth: the side that did not make the item's latest offer acts next. */
function rightfulActor(kind: Kind, item: ItemLifecycle | undefined): Actor {
  if (kind === 'resolveItem') return ACTORS.arbiter;
  if (kind === 'offerItemSettlement' || kind === 'acceptItemOffer' || kind === 'declineItemOffer') {
    // Now and then the same side makes a new offer, superseding its own.
    const last = item?.offers.at(-1)?.offeredBy;
    const again = kind === 'offerItemSettlement' && (item?.offers.length ?? 0) % 3 === 2;
    return (last === 'seller') !== again ? ACTORS.alice : ACTORS.bea;
  }
  if (kind === 'expireReturn' || kind === 'expireItemDelivery') return ACTORS.keeper;
  const sellers: readonly Kind[] = [
    'ship',
    'shipItem',
    'provideReturnAddress',
    'confirmReturn',
    'disputeReturn',
  ];
  return sellers.includes(kind) ? ACTORS.bea : ACTORS.alice;
}

/** The deadline a command is judged by, so that times land on both sides of it. */
function deadlineOf(e: Escrow, kind: Kind, index: number): number {
  const item = itemView(e, index) ?? itemView(e, 0);
  const open = openOfferOf(item);
  if ((kind === 'acceptItemOffer' || kind === 'declineItemOffer') && open !== undefined)
    return at(open.expiresAt);
  if (kind === 'expireItemDelivery' && typeof item?.deliverBy === 'string') return at(item.deliverBy);
  const candidates = [
    at(item?.delivery?.inspectionEndsAt),
    at(item?.rejection?.addressBy),
    at(item?.returnAddress?.shipBackBy),
    at(item?.returnShipment?.returnBy),
    at(e.delivery?.inspectionEndsAt),
  ].filter((value) => !Number.isNaN(value));
  if (kind === 'shipItem' || kind === 'ship' || candidates.length === 0) return SHIP_BY;
  return Math.max(...candidates);
}

/** What could come next for an item in each state: a guided step picks among these. */
const NEXT: Readonly<Record<ItemState, readonly Kind[]>> = {
  FUNDED: ['shipItem', 'shipItem', 'disputeItem', 'ship'],
  SHIPPED: [
    'confirmItemDelivery',
    'confirmItemDelivery',
    'releaseItem',
    'disputeItem',
    'confirmDelivery',
    'expireItemDelivery',
  ],
  DELIVERED: ['releaseItem', 'disputeItem', 'rejectItem', 'rejectItem', 'rejectItem', 'release'],
  DISPUTED: [
    'resolveItem',
    'offerItemSettlement',
    'offerItemSettlement',
    'acceptItemOffer',
    'declineItemOffer',
  ],
  REJECTED: ['provideReturnAddress', 'provideReturnAddress', 'shipReturn', 'shipReturn', 'expireReturn'],
  RETURN_SHIPPED: ['confirmReturn', 'disputeReturn', 'expireReturn'],
  RELEASED: KINDS,
  RESOLVED: KINDS,
  REFUNDED: KINDS,
};

function nextMoves(item: ItemLifecycle): readonly Kind[] {
  if (item.state !== 'REJECTED') return NEXT[item.state];
  return item.returnAddress === null
    ? ['provideReturnAddress', 'provideReturnAddress', 'expireReturn']
    : ['shipReturn', 'shipReturn', 'shipReturn', 'expireReturn', 'provideReturnAddress'];
}

function toCommand(kind: Kind, index: number, refund: bigint, flip: boolean): Command {
  const item = index;
  switch (kind) {
    case 'ship':
      return { type: 'ship', carrier: 'DHL', trackingRef: 'W-1' };
    case 'confirmDelivery':
    case 'release':
      return { type: kind };
    case 'shipItem':
    case 'shipReturn':
      return { type: kind, item, carrier: 'UPS', trackingRef: `T-${index}` };
    case 'disputeItem':
    case 'disputeReturn':
      return { type: kind, item, reason: 'not right', evidenceHashes: [] };
    case 'resolveItem':
    case 'offerItemSettlement':
      return { type: kind, item, buyerRefund: refund.toString() };
    case 'rejectItem':
      return { type: kind, item, reason: 'wrong size' };
    case 'provideReturnAddress':
      return { type: kind, item, addressHash: (flip ? 'c' : 'd').repeat(64), addressStored: flip };
    case 'expireItemDelivery':
      return { type: kind, item, outcome: flip ? 'refund' : 'dispute' };
    case 'confirmItemDelivery':
    case 'releaseItem':
    case 'confirmReturn':
    case 'expireReturn':
    case 'acceptItemOffer':
    case 'declineItemOffer':
      return { type: kind, item };
  }
}

// ---- the escrows and the steps ----

const price = fc.oneof(
  { weight: 5, arbitrary: fc.bigInt({ min: 1n, max: 1_000_000n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 10n ** 15n }) },
);
const escrowShape = fc.record({
  prices: fc.array(price, { minLength: 1, maxLength: 5 }),
  feeBps: fc.oneof(fc.constantFrom(0, 1, 250, 9999, 10_000), fc.integer({ min: 0, max: 10_000 })),
  payer: fc.oneof(
    fc.constant({ feePayer: 'seller' }),
    fc.constant({ feePayer: 'buyer' }),
    fc.integer({ min: 1, max: 9999 }).map((share) => ({ feePayer: 'split', buyerFeeShareBps: share })),
  ),
  inspectionSeconds: fc.constantFrom(3600, 3 * 24 * 3600),
});
type Shape = typeof escrowShape extends fc.Arbitrary<infer T> ? T : never;

const stepArb = fc.record({
  kind: fc.constantFrom(...KINDS),
  index: fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 0, max: 4 }) },
    { weight: 1, arbitrary: fc.constant(7) },
  ),
  actor: fc.integer({ min: -3, max: POOL.length - 1 }),
  offset: fc.oneof(fc.constantFrom(-1, 0, 1), fc.integer({ min: -2 * DAY, max: 2 * DAY })),
  nearDeadline: fc.boolean(),
  guided: fc.integer({ min: 0, max: 9 }),
  pick: fc.nat(),
  refundShare: fc.oneof(fc.constantFrom(0, 1, 2), fc.double({ min: 0, max: 1.1, noNaN: true })),
});

function funded(shape: Shape): Escrow {
  const amount = shape.prices.reduce((total, value) => total + value, 0n);
  const request = {
    buyer: { marketplace: 'MarketA', userId: 'alice' },
    seller: { marketplace: 'MarketB', userId: 'bea' },
    currency: 'EUR',
    amount: amount.toString(),
    feeBps: shape.feeBps,
    items: shape.prices.map((value, index) => ({
      description: `Milestone ${index}`,
      price: value.toString(),
    })),
    fundBy: new Date(T0 + DAY).toISOString(),
    shipBy: new Date(SHIP_BY).toISOString(),
    inspectionPeriodSeconds: shape.inspectionSeconds,
    ...shape.payer,
  };
  const create: Command = {
    type: 'create',
    escrowId: 'esc-prop',
    request,
    privateDetailsHash: null,
    settings: WIDEST_SETTINGS,
    marketplaces: FOUNDING_REGISTRY,
  };
  let escrow = applyCommand(undefined, create, ACTORS.marketA, T0).escrow;
  escrow = applyCommand(escrow, { type: 'accept' }, ACTORS.bea, T0 + HOUR).escrow;
  const fund: Command = { type: 'fund', amount: amountDue(escrow), currency: 'EUR', providerRef: 'psp-p' };
  return applyCommand(escrow, fund, ACTORS.paymentsA, T0 + 2 * HOUR).escrow;
}

/** Money conservation checked independently of invariant.ts. */
function assertConserved(e: Escrow): void {
  checkInvariant(e);
  const items = e.itemLifecycles;
  const funded = BigInt(e.fundedAmount);
  if (items === null) return;
  let split = 0n;
  let buyerFees = 0n;
  items.forEach((item, index) => {
    const parts = BigInt(item.buyerRefund) + BigInt(item.sellerPayout) + BigInt(item.fee);
    const due = BigInt(e.items[index]?.price ?? '0') + BigInt(item.buyerFee);
    expect(parts, `item ${index} split`).to.equal(isTerminalItem(item.state) ? due : 0n);
    split += parts;
    buyerFees += BigInt(item.buyerFee);
  });
  expect(buyerFees).to.equal(BigInt(e.buyerFee));
  const allEnded = items.every((item) => isTerminalItem(item.state));
  expect(isTerminal(e.state), 'terminal exactly when every item is').to.equal(allEnded);
  if (allEnded) {
    expect(split).to.equal(funded);
    expect(BigInt(e.buyerRefund) + BigInt(e.sellerPayout) + BigInt(e.fee)).to.equal(funded);
  }
}

describe('item lifecycle properties', function () {
  this.timeout(300_000);
  const reached = new Map<ItemState, number>(ITEM_STATES.map((state) => [state, 0]));
  const endings = new Map<string, number>();
  let sequences = 0;
  let commands = 0;
  let accepted = 0;
  let multiItemEnded = 0;
  const offerOutcomes = new Map<string, number>();
  // The rarer moves the mix must reach: a missed item delivery, a return address declared anew.
  const rareMoves = new Map<string, number>([
    ['expireItemDelivery', 0],
    ['provideReturnAddress again', 0],
  ]);

  it(`keeps money conserved per item and for the whole, and lets only allowed actors act (${SEQUENCE_RUNS} sequences)`, () => {
    fc.assert(
      fc.property(escrowShape, fc.array(stepArb, { minLength: 5, maxLength: MAX_STEPS }), (shape, steps) => {
        sequences += 1;
        let escrow = funded(shape);
        let clock = T0 + 3 * HOUR;
        for (const choice of steps) {
          commands += 1;
          // Seven steps in ten follow the item's likely next move, by its rightful actor, soon after.
          const guided = choice.guided < 7;
          const index = guided ? choice.index % escrow.items.length : choice.index;
          const view = itemView(escrow, index);
          const options = view === undefined ? KINDS : nextMoves(view);
          const kind = guided ? (options[choice.pick % options.length] ?? choice.kind) : choice.kind;
          const offset = guided && !choice.nearDeadline ? Math.abs(choice.offset) % HOUR : choice.offset;
          const base = choice.nearDeadline ? deadlineOf(escrow, kind, index) : clock;
          const now = Math.max(T0 + 3 * HOUR, base + offset);
          clock = Math.max(clock, now);
          const who =
            guided || choice.actor < 0 ? rightfulActor(kind, view) : (POOL[choice.actor] ?? ACTORS.keeper);
          const priceOf = BigInt(escrow.items[index]?.price ?? '0');
          const refund = BigInt(Math.floor(Number(priceOf) * choice.refundShare));
          const flip = choice.pick % 2 === 0;
          const command = toCommand(kind, index, refund, flip);
          const allowed = mayAct(escrow, kind, index, refund, who, now, flip);
          const snapshot = JSON.stringify(escrow);
          let next: Escrow;
          try {
            next = applyCommand(escrow, command, who, now).escrow;
          } catch (error) {
            if (!(error instanceof EscrowError)) throw error;
            expect(REFUSALS).to.include(error.code);
            expect(allowed, `${who.role} refused ${kind} on item ${index}: ${error.message}`).to.equal(false);
            expect(JSON.stringify(escrow), 'a refusal changes nothing').to.equal(snapshot);
            continue;
          }
          expect(allowed, `${who.role} ${who.userId} may ${kind} item ${index} in ${escrow.state}`).to.equal(
            true,
          );
          accepted += 1;
          if (kind === 'expireItemDelivery') rareMoves.set(kind, (rareMoves.get(kind) ?? 0) + 1);
          if (kind === 'provideReturnAddress' && view !== undefined && view.returnAddress !== null)
            rareMoves.set(
              'provideReturnAddress again',
              (rareMoves.get('provideReturnAddress again') ?? 0) + 1,
            );
          const touched = next.itemLifecycles?.[index];
          if (touched !== undefined && 'item' in command)
            reached.set(touched.state, (reached.get(touched.state) ?? 0) + 1);
          // Items not named keep their state and money.
          next.itemLifecycles?.forEach((item, position) => {
            const earlier = escrow.itemLifecycles?.[position];
            if (position !== index && earlier !== undefined) expect(item).to.deep.equal(earlier);
          });
          assertConserved(next);
          escrow = next;
        }
        for (const offer of (escrow.itemLifecycles ?? []).flatMap((item) => item.offers))
          offerOutcomes.set(offer.status, (offerOutcomes.get(offer.status) ?? 0) + 1);
        if (isTerminal(escrow.state)) {
          endings.set(escrow.state, (endings.get(escrow.state) ?? 0) + 1);
          if (escrow.items.length > 1) multiItemEnded += 1;
        }
        expect(escrowFromBytes(Buffer.from(toStateJson(escrow)))).to.deep.equal(escrow);
      }),
      { numRuns: SEQUENCE_RUNS },
    );
  });

  it('reaches every item state, so the properties above are not vacuous', () => {
    console.log(
      `      ${sequences} sequences, ${commands} commands (${accepted} accepted); item transitions into: ${JSON.stringify(Object.fromEntries(reached))}; escrows ended: ${JSON.stringify(Object.fromEntries(endings))}, ${multiItemEnded} of several items; item offers: ${JSON.stringify(Object.fromEntries(offerOutcomes))}; rare moves: ${JSON.stringify(Object.fromEntries(rareMoves))}`,
    );
    expect(rareMoves.get('expireItemDelivery') ?? 0, 'expireItemDelivery').to.be.greaterThan(50);
    expect(rareMoves.get('provideReturnAddress again') ?? 0, 'address declared anew').to.be.greaterThan(10);
    for (const status of ['open', 'accepted', 'declined', 'countered', 'superseded'] as const) {
      expect(offerOutcomes.get(status) ?? 0, `offers ${status}`).to.be.greaterThan(20);
    }
    for (const state of ITEM_STATES.filter((s) => s !== 'FUNDED')) {
      expect(reached.get(state) ?? 0, state).to.be.greaterThan(50);
    }
    for (const state of ['RELEASED', 'RESOLVED', 'REFUNDED'] as const) {
      expect(endings.get(state) ?? 0, state).to.be.greaterThan(20);
    }
    expect(multiItemEnded).to.be.greaterThan(50);
    expect(sequences).to.be.at.least(SEQUENCE_RUNS);
  });
});
