// The terms that keep money moving: a delivery deadline after shipment, a ship-by the buyer may
// extend, settlement offers the parties negotiate before the arbiter, and who pays the fee.
import { expect } from 'chai';
import {
  ACTORS,
  CREATE,
  DAY,
  FUND,
  HOUR,
  PATH,
  SHIP_BY,
  T0,
  type Step,
  createRequest,
  expectRefusal,
  given,
  run,
} from '../testing/escrowFixtures';
import { checkInvariant } from './invariant';
import { type Command, applyCommand } from './stateMachine';

const SHIPPED_AT = T0 + DAY;
const DELIVER_BY = SHIPPED_AT + 30 * DAY; // the channel's default delivery period
const DISPUTED_AT = T0 + 2 * DAY;

const extendTo = (at: number): Command => ({ type: 'extendShipBy', shipBy: new Date(at).toISOString() });
const offer = (buyerRefund: string, expiresAt?: number): Command => ({
  type: 'offerSettlement',
  buyerRefund,
  ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt).toISOString() }),
});
const ACCEPT_OFFER: Command = { type: 'acceptOffer' };
const DECLINE_OFFER: Command = { type: 'declineOffer' };
const expireDelivery = (outcome: 'dispute' | 'refund'): Command => ({ type: 'expireDelivery', outcome });

describe('escrow terms: deadlines, offers and fee payer', () => {
  describe('delivery deadline', () => {
    it('is set at shipment from the terms’ delivery period (the channel default when the request names none)', () => {
      const shipped = run(PATH.SHIPPED);
      expect(shipped.deliveryPeriodSeconds).to.equal(30 * 24 * 3600);
      expect(shipped.deliverBy).to.equal(new Date(DELIVER_BY).toISOString());
      const own = { ...CREATE, request: createRequest({ deliveryPeriodSeconds: 5 * 24 * 3600 }) };
      const steps: Step[] = [[ACTORS.marketA, own, T0], ...PATH.SHIPPED.slice(1)];
      expect(run(steps).deliverBy).to.equal(new Date(SHIPPED_AT + 5 * DAY).toISOString());
    });

    it('lets the buyer claim a full refund once it passed unconfirmed, and nobody else', () => {
      const { escrow, event } = given(PATH.SHIPPED)
        .when(ACTORS.alice, { type: 'claimRefund' }, DELIVER_BY + 1)
        .then();
      expect(escrow.state).to.equal('REFUNDED');
      expect(escrow.buyerRefund).to.equal('12345');
      expect(event.name).to.equal('Refunded');
      given(PATH.SHIPPED)
        .when(ACTORS.alice, { type: 'claimRefund' }, DELIVER_BY)
        .refusedWith('DEADLINE_NOT_REACHED');
      for (const who of [ACTORS.bea, ACTORS.marketA, ACTORS.arbiter, ACTORS.bob, ACTORS.mallory])
        given(PATH.SHIPPED)
          .when(who, { type: 'claimRefund' }, DELIVER_BY + 1)
          .refusedWith('FORBIDDEN_ACTOR');
    });

    it('lets the keeper apply the channel’s rule once it passed: a dispute by default, or a refund', () => {
      const disputed = given(PATH.SHIPPED)
        .when(ACTORS.keeper, expireDelivery('dispute'), DELIVER_BY + 1)
        .then();
      expect(disputed.escrow.state).to.equal('DISPUTED');
      expect(disputed.escrow.dispute?.reason).to.equal('delivery deadline passed');
      expect(disputed.event.name).to.equal('DeliveryOverdue');
      expect(disputed.event.payload.details).to.include({ outcome: 'dispute' });
      const refunded = given(PATH.SHIPPED)
        .when(ACTORS.keeper, expireDelivery('refund'), DELIVER_BY + 1)
        .then();
      expect(refunded.escrow.state).to.equal('REFUNDED');
      expect(refunded.escrow.buyerRefund).to.equal('12345');
      expect(refunded.event.name).to.equal('DeliveryOverdue');
    });

    it('refuses the keeper before the deadline on either clock, and after delivery was confirmed', () => {
      given(PATH.SHIPPED)
        .when(ACTORS.keeper, expireDelivery('dispute'), DELIVER_BY)
        .refusedWith('DEADLINE_NOT_REACHED');
      given(PATH.SHIPPED)
        .when(ACTORS.keeper, expireDelivery('dispute'), DELIVER_BY + HOUR, DELIVER_BY - 1)
        .refusedWith('DEADLINE_NOT_REACHED');
      given(PATH.DELIVERED)
        .when(ACTORS.keeper, expireDelivery('refund'), DELIVER_BY + 1)
        .refusedWith('INVALID_STATE');
    });

    it('leaves records from before delivery deadlines without one: nothing to expire or claim on', () => {
      const legacy = { ...run(PATH.FUNDED), deliveryPeriodSeconds: null };
      const shipped = run(
        [[ACTORS.bea, { type: 'ship', carrier: 'DHL', trackingRef: 'T' }, SHIPPED_AT]],
        legacy,
      );
      expect(shipped.deliverBy).to.equal(null);
      expectRefusal(
        () => applyCommand(shipped, expireDelivery('refund'), ACTORS.keeper, DELIVER_BY + 1),
        'INVALID_STATE',
      );
      expectRefusal(
        () => applyCommand(shipped, { type: 'claimRefund' }, ACTORS.alice, DELIVER_BY + 1),
        'INVALID_STATE',
      );
    });
  });

  describe('ship-by extension', () => {
    it('lets the buyer move ship-by later while it is open', () => {
      const later = SHIP_BY + 3 * DAY;
      const { escrow, event } = given(PATH.FUNDED)
        .when(ACTORS.alice, extendTo(later), T0 + 2 * DAY)
        .then();
      expect(escrow.shipBy).to.equal(new Date(later).toISOString());
      expect(escrow.state).to.equal('FUNDED');
      expect(event.name).to.equal('ShipByExtended');
      expect(event.payload.details).to.include({ previousShipBy: new Date(SHIP_BY).toISOString() });
      // The seller may ship in the added time.
      const shipped = run(
        [[ACTORS.bea, { type: 'ship', carrier: 'DHL', trackingRef: 'T' }, SHIP_BY + DAY]],
        escrow,
      );
      expect(shipped.state).to.equal('SHIPPED');
    });

    it('refuses a shorter or equal deadline, an extension after it passed, and anyone but the buyer', () => {
      given(PATH.FUNDED)
        .when(ACTORS.alice, extendTo(SHIP_BY - 1), T0 + 2 * DAY)
        .refusedWith('DEADLINE_NOT_EXTENDED');
      given(PATH.FUNDED)
        .when(ACTORS.alice, extendTo(SHIP_BY), T0 + 2 * DAY)
        .refusedWith('DEADLINE_NOT_EXTENDED');
      given(PATH.FUNDED)
        .when(ACTORS.alice, extendTo(SHIP_BY + DAY), SHIP_BY + 1)
        .refusedWith('DEADLINE_PASSED');
      given(PATH.FUNDED)
        .when(ACTORS.alice, extendTo(SHIP_BY + 400 * DAY), T0 + 2 * DAY)
        .refusedWith('INVALID_INPUT');
      for (const who of [
        ACTORS.bea,
        ACTORS.marketA,
        ACTORS.arbiter,
        ACTORS.keeper,
        ACTORS.bob,
        ACTORS.mallory,
      ])
        given(PATH.FUNDED)
          .when(who, extendTo(SHIP_BY + DAY), T0 + 2 * DAY)
          .refusedWith('FORBIDDEN_ACTOR');
      given(PATH.SHIPPED)
        .when(ACTORS.alice, extendTo(SHIP_BY + DAY), T0 + 2 * DAY)
        .refusedWith('INVALID_STATE');
    });
  });

  describe('settlement offers', () => {
    const OFFERED: Step[] = [...PATH.DISPUTED, [ACTORS.bea, offer('5000'), DISPUTED_AT + HOUR]];

    it('resolves at the offered split when the other side accepts, fee from the seller’s share only', () => {
      const offered = run(OFFERED);
      expect(offered.state).to.equal('DISPUTED');
      expect(offered.offers).to.have.length(1);
      expect(offered.offers[0]).to.include({ offeredBy: 'seller', buyerRefund: '5000', status: 'open' });
      const { escrow, event } = given(OFFERED)
        .when(ACTORS.alice, ACCEPT_OFFER, DISPUTED_AT + 2 * HOUR)
        .then();
      expect(escrow.state).to.equal('RESOLVED');
      expect(event.name).to.equal('SettlementOfferAccepted');
      // 7 345 to the seller at 2.5 %: a fee of 183, the buyer pays none of it.
      expect(escrow).to.include({ buyerRefund: '5000', fee: '183', sellerPayout: '7162' });
      expect(escrow.offers[0]).to.include({ status: 'accepted' });
      checkInvariant(escrow);
    });

    it('replaces an open offer: a counter by the other side, a new one by the same side', () => {
      const countered = run([...OFFERED, [ACTORS.alice, offer('9000'), DISPUTED_AT + 2 * HOUR]]);
      expect(countered.offers.map((o) => o.status)).to.deep.equal(['countered', 'open']);
      const superseded = run([...OFFERED, [ACTORS.bea, offer('6000'), DISPUTED_AT + 2 * HOUR]]);
      expect(superseded.offers.map((o) => o.status)).to.deep.equal(['superseded', 'open']);
      // The seller may now accept the buyer's counter.
      const resolved = run([[ACTORS.bea, ACCEPT_OFFER, DISPUTED_AT + 3 * HOUR]], countered);
      expect(resolved).to.include({ state: 'RESOLVED', buyerRefund: '9000' });
    });

    it('keeps the dispute open on a decline, and keeps every offer for the arbiter', () => {
      const { escrow, event } = given(OFFERED)
        .when(ACTORS.alice, DECLINE_OFFER, DISPUTED_AT + 2 * HOUR)
        .then();
      expect(escrow.state).to.equal('DISPUTED');
      expect(event.name).to.equal('SettlementOfferDeclined');
      expect(escrow.offers[0]).to.include({ status: 'declined' });
      given([...OFFERED, [ACTORS.alice, DECLINE_OFFER, DISPUTED_AT + 2 * HOUR]])
        .when(ACTORS.alice, ACCEPT_OFFER, DISPUTED_AT + 3 * HOUR)
        .refusedWith('OFFER_NOT_FOUND');
      const resolved = run(
        [[ACTORS.arbiter, { type: 'resolve', buyerRefund: '100' }, DISPUTED_AT + DAY]],
        escrow,
      );
      expect(resolved.offers).to.have.length(1);
    });

    it('expires an offer at its deadline: it can no longer be answered, and the next offer records it', () => {
      const expiring: Step[] = [
        ...PATH.DISPUTED,
        [ACTORS.bea, offer('5000', DISPUTED_AT + 2 * HOUR), DISPUTED_AT + HOUR],
      ];
      given(expiring)
        .when(ACTORS.alice, ACCEPT_OFFER, DISPUTED_AT + 2 * HOUR + 1)
        .refusedWith('DEADLINE_PASSED');
      given(expiring)
        .when(ACTORS.alice, DECLINE_OFFER, DISPUTED_AT + 2 * HOUR + 1)
        .refusedWith('DEADLINE_PASSED');
      const next = run([...expiring, [ACTORS.alice, offer('8000'), DISPUTED_AT + 3 * HOUR]]);
      expect(next.offers.map((o) => o.status)).to.deep.equal(['expired', 'open']);
      // An offer open by default for three days, never past the longest period.
      expect(run(OFFERED).offers[0]?.expiresAt).to.equal(
        new Date(DISPUTED_AT + HOUR + 3 * DAY).toISOString(),
      );
      given(PATH.DISPUTED)
        .when(ACTORS.bea, offer('1', DISPUTED_AT + 15 * DAY), DISPUTED_AT)
        .refusedWith('INVALID_INPUT');
      given(PATH.DISPUTED)
        .when(ACTORS.bea, offer('1', DISPUTED_AT), DISPUTED_AT)
        .refusedWith('INVALID_INPUT');
    });

    it('lets only the parties offer, only the other side answer, never past the goods amount', () => {
      for (const who of [
        ACTORS.arbiter,
        ACTORS.marketA,
        ACTORS.marketB,
        ACTORS.keeper,
        ACTORS.bob,
        ACTORS.mallory,
        ACTORS.beaOnMarketA,
      ])
        given(PATH.DISPUTED).when(who, offer('10'), DISPUTED_AT).refusedWith('FORBIDDEN_ACTOR');
      given(OFFERED)
        .when(ACTORS.bea, ACCEPT_OFFER, DISPUTED_AT + 2 * HOUR)
        .refusedWith('FORBIDDEN_ACTOR');
      given(OFFERED)
        .when(ACTORS.bea, DECLINE_OFFER, DISPUTED_AT + 2 * HOUR)
        .refusedWith('FORBIDDEN_ACTOR');
      for (const who of [ACTORS.arbiter, ACTORS.marketA, ACTORS.bob, ACTORS.aliceAsSeller])
        given(OFFERED)
          .when(who, ACCEPT_OFFER, DISPUTED_AT + 2 * HOUR)
          .refusedWith('FORBIDDEN_ACTOR');
      given(PATH.DISPUTED).when(ACTORS.alice, offer('12346'), DISPUTED_AT).refusedWith('INVALID_INPUT');
      given(PATH.DELIVERED).when(ACTORS.alice, offer('10'), DISPUTED_AT).refusedWith('INVALID_STATE');
      given(PATH.DISPUTED).when(ACTORS.alice, ACCEPT_OFFER, DISPUTED_AT).refusedWith('OFFER_NOT_FOUND');
    });

    it('bounds the offers one escrow keeps', () => {
      const many: Step[] = [...PATH.DISPUTED];
      for (let index = 0; index < 20; index += 1)
        many.push([index % 2 === 0 ? ACTORS.alice : ACTORS.bea, offer(String(index)), DISPUTED_AT + index]);
      given(many)
        .when(ACTORS.alice, offer('1'), DISPUTED_AT + HOUR)
        .refusedWith('OFFER_LIMIT_REACHED');
    });
  });

  describe('fee payer', () => {
    const withPayer = (fields: Record<string, unknown>): Step[] => [
      [ACTORS.marketA, { ...CREATE, request: createRequest(fields) }, T0],
      ...PATH.CREATED.slice(1),
    ];

    it('has the buyer fund the amount and its fee share, and the split return what the fee did not use', () => {
      // 2.5 % of 12 345 is 308: the buyer pays it all on top of the goods.
      const created = run(withPayer({ feePayer: 'buyer' }));
      expect(created).to.include({ buyerFeeShareBps: 10_000, buyerFee: '308' });
      given(withPayer({ feePayer: 'buyer' }))
        .when(ACTORS.paymentsA, FUND, T0 + HOUR)
        .refusedWith('INVALID_INPUT');
      const funded: Step[] = [
        ...withPayer({ feePayer: 'buyer' }),
        [ACTORS.paymentsA, { ...FUND, amount: '12653' }, T0 + HOUR],
      ];
      expect(run(funded).fundedAmount).to.equal('12653');
      const released = run([
        ...funded,
        ...PATH.DELIVERED.slice(3),
        [ACTORS.alice, { type: 'release' }, T0 + 3 * DAY],
      ]);
      expect(released).to.include({ buyerRefund: '0', sellerPayout: '12345', fee: '308' });
      const cancelled = run([...funded, [ACTORS.bea, { type: 'cancel' }, T0 + 2 * HOUR]]);
      expect(cancelled).to.include({ buyerRefund: '12653', sellerPayout: '0', fee: '0' });
      checkInvariant(released);
      checkInvariant(cancelled);
    });

    it('splits the fee in basis points, and charges the buyer only its share of the fee on the seller’s part', () => {
      const steps: Step[] = [
        ...withPayer({ feePayer: 'split', buyerFeeShareBps: 5000 }),
        [ACTORS.paymentsA, { ...FUND, amount: '12499' }, T0 + HOUR],
        [ACTORS.bea, { type: 'ship', carrier: 'DHL', trackingRef: 'T' }, T0 + DAY],
        [ACTORS.alice, { type: 'dispute', reason: 'dented', evidenceHashes: [] }, DISPUTED_AT],
        [ACTORS.bea, offer('2345'), DISPUTED_AT + HOUR],
        [ACTORS.alice, ACCEPT_OFFER, DISPUTED_AT + 2 * HOUR],
      ];
      // The fee on 10 000 is 250, half of it the buyer's: 2 345 + (154 − 125) back, 10 000 − 125 out.
      const resolved = run(steps);
      expect(resolved).to.include({ buyerFee: '154', fundedAmount: '12499', fee: '250' });
      expect(resolved).to.include({ buyerRefund: '2374', sellerPayout: '9875' });
      checkInvariant(resolved);
    });

    it('refuses an unknown payer, a share without a split, and a split outside (0, 10 000)', () => {
      const create = (fields: Record<string, unknown>): Command => ({
        ...CREATE,
        request: createRequest(fields),
      });
      for (const fields of [
        { feePayer: 'marketplace' },
        { feePayer: 'buyer', buyerFeeShareBps: 100 },
        { feePayer: 'split' },
        { feePayer: 'split', buyerFeeShareBps: 0 },
        { feePayer: 'split', buyerFeeShareBps: 10_000 },
      ])
        given([]).when(ACTORS.marketA, create(fields), T0).refusedWith('INVALID_INPUT');
    });
  });
});
