// Risk flags and holds: who may raise and clear a flag and who may not, what a flag refuses, and
// what a hold stops (the deadline-driven releases to the seller) and does not (the parties' moves).
import { expect } from 'chai';
import { DEFAULT_CHANNEL_SETTINGS } from '../config/channelSettings';
import type { Actor } from '../identity/actor';
import {
  ACTORS,
  DAY,
  FOUNDING_REGISTRY,
  HOUR,
  INSPECTION_SECONDS,
  PATH,
  SHIP_BY,
  type Step,
  T0,
  actor,
  createRequest,
  given,
  run,
} from '../testing/escrowFixtures';
import { escrowFromBytes } from './escrowCodec';
import { checkInvariant } from './invariant';
import { isHeld } from './riskFlags';
import type { Command } from './stateMachine';
import { toStateBytes } from '../ledger/stateSerializer';

const RISK = ACTORS.risk;
const FLAG = { rule: 'velocity.buyer-1h', reasonCode: 'VELOCITY_BUYER', severity: 'high', action: 'hold' };
const raise = (flag: unknown = FLAG): Command => ({ type: 'raiseRiskFlag', flag: JSON.stringify(flag) });
const clear = (rule = FLAG.rule, reason: unknown = 'checked with the buyer'): Command => ({
  type: 'clearRiskFlag',
  rule,
  reason,
});
const INSPECTION_ENDS = T0 + 2 * DAY + INSPECTION_SECONDS * 1000;
const RELEASE: Command = { type: 'release' };

/** The delivered escrow with the flag raised a day after delivery. */
const HELD_DELIVERED: readonly Step[] = [...PATH.DELIVERED, [RISK, raise(), T0 + 3 * DAY]];

/** Everyone but the risk service, including lookalikes with the role in the wrong org. */
const NOT_RISK: Readonly<Record<string, Actor>> = {
  buyer: ACTORS.alice,
  seller: ACTORS.bea,
  'buyer marketplace backend': ACTORS.marketA,
  'seller marketplace backend': ACTORS.marketB,
  'another marketplace backend': actor('MarketC', 'marketplace', 'marketc-backend'),
  'payments identity': ACTORS.paymentsA,
  keeper: ACTORS.keeper,
  auditor: ACTORS.auditor,
  arbiter: ACTORS.arbiter,
  'Oversight admin': ACTORS.oversightAdmin,
  'marketplace admin': ACTORS.adminA,
  'risk role claimed by a marketplace': actor('MarketA', 'risk', 'risk-service'),
};

describe('risk flags', () => {
  describe('raiseRiskFlag', () => {
    it('lets Oversight’s risk service flag an escrow: recorded with who and when, nothing else changes', () => {
      const before = run(PATH.SHIPPED);
      const { escrow, event } = given(PATH.SHIPPED)
        .when(RISK, raise(), T0 + 2 * DAY)
        .then();
      expect(escrow.riskFlags).to.deep.equal([
        {
          ...FLAG,
          raisedAt: '2030-01-03T00:00:00.000Z',
          raisedBy: RISK,
          clearedAt: null,
          clearedBy: null,
          clearReason: null,
        },
      ]);
      expect({ ...escrow, riskFlags: [], updatedAt: before.updatedAt }).to.deep.equal(before);
      expect(isHeld(escrow)).to.equal(true);
      expect(event.name).to.equal('RiskFlagRaised');
      expect(event.payload.details).to.deep.equal({
        rule: FLAG.rule,
        reasonCode: FLAG.reasonCode,
        severity: 'high',
        action: 'hold',
        by: 'risk-service@Oversight',
      });
      checkInvariant(escrow);
    });

    for (const [who, caller] of Object.entries(NOT_RISK)) {
      it(`refuses the ${who}`, () => {
        given(PATH.SHIPPED)
          .when(caller, raise(), T0 + 2 * DAY)
          .refusedWith('FORBIDDEN_ACTOR');
      });
    }

    it('refuses a rule already active on the escrow, so the risk service’s effect happens once', () => {
      given(HELD_DELIVERED)
        .when(RISK, raise({ ...FLAG, severity: 'low' }), T0 + 3 * DAY + 1)
        .refusedWith('RISK_FLAG_ALREADY_RAISED');
    });

    it('accepts another rule beside an active one, and the same rule again once cleared', () => {
      const other = given(HELD_DELIVERED)
        .when(RISK, raise({ ...FLAG, rule: 'amount.outlier' }), T0 + 3 * DAY + 1)
        .then();
      expect(other.escrow.riskFlags.map((flag) => flag.rule)).to.deep.equal([FLAG.rule, 'amount.outlier']);
      const again = given([...HELD_DELIVERED, [RISK, clear(), T0 + 3 * DAY + HOUR]])
        .when(RISK, raise(), T0 + 3 * DAY + 2 * HOUR)
        .then();
      expect(again.escrow.riskFlags).to.have.length(2);
      expect(isHeld(again.escrow)).to.equal(true);
    });

    it('flags a terminal escrow too (its payout may still be pending), changing nothing but the flags', () => {
      const released: Step[] = [...PATH.DELIVERED, [ACTORS.alice, RELEASE, T0 + 3 * DAY]];
      const before = run(released);
      const { escrow } = given(released)
        .when(RISK, raise(), T0 + 4 * DAY)
        .then();
      expect(escrow.state).to.equal('RELEASED');
      expect(escrow.sellerPayout).to.equal(before.sellerPayout);
      expect(isHeld(escrow)).to.equal(true);
    });

    const malformed: readonly (readonly [string, unknown])[] = [
      ['a rule with a space', { ...FLAG, rule: 'velocity buyer' }],
      ['a rule of 65 characters', { ...FLAG, rule: 'r'.repeat(65) }],
      ['an empty rule', { ...FLAG, rule: '' }],
      ['a lower-case reason code', { ...FLAG, reasonCode: 'velocity_buyer' }],
      ['a reason code of 65 characters', { ...FLAG, reasonCode: 'V'.repeat(65) }],
      ['an unknown severity', { ...FLAG, severity: 'critical' }],
      ['an action other than hold', { ...FLAG, action: 'review' }],
      ['a missing field', { rule: FLAG.rule, reasonCode: FLAG.reasonCode, severity: 'low' }],
      ['an unknown field', { ...FLAG, note: 'x' }],
    ];
    for (const [what, flag] of malformed) {
      it(`refuses ${what} with INVALID_INPUT`, () => {
        given(PATH.SHIPPED)
          .when(RISK, raise(flag), T0 + 2 * DAY)
          .refusedWith('INVALID_INPUT');
      });
    }

    it('refuses flagJson that is not a JSON object', () => {
      const notJson: Command = { type: 'raiseRiskFlag', flag: '{"rule":' };
      given(PATH.SHIPPED)
        .when(RISK, notJson, T0 + 2 * DAY)
        .refusedWith('INVALID_INPUT');
    });
  });

  describe('clearRiskFlag', () => {
    it('lets the risk service clear its flag, with a reason; the record keeps who raised and who cleared', () => {
      const { escrow, event } = given(HELD_DELIVERED)
        .when(RISK, clear(), T0 + 3 * DAY + HOUR)
        .then();
      expect(escrow.riskFlags[0]).to.include({
        clearedAt: '2030-01-04T01:00:00.000Z',
        clearReason: 'checked with the buyer',
      });
      expect(escrow.riskFlags[0]?.clearedBy).to.deep.equal(RISK);
      expect(isHeld(escrow)).to.equal(false);
      expect(event.name).to.equal('RiskFlagCleared');
      expect(event.payload.details).to.deep.equal({
        rule: FLAG.rule,
        reasonCode: FLAG.reasonCode,
        severity: 'high',
        action: 'hold',
        by: 'risk-service@Oversight',
        reason: 'checked with the buyer',
      });
    });

    it('lets Oversight’s arbiter clear it', () => {
      const { escrow } = given(HELD_DELIVERED)
        .when(ACTORS.arbiter, clear(), T0 + 3 * DAY + HOUR)
        .then();
      expect(escrow.riskFlags[0]?.clearedBy).to.deep.equal(ACTORS.arbiter);
    });

    const mayNotClear = Object.entries(NOT_RISK).filter(([who]) => who !== 'arbiter');
    for (const [who, caller] of [
      ...mayNotClear,
      ['arbiter role claimed by a marketplace', actor('MarketA', 'arbiter', 'olivia')] as const,
    ]) {
      it(`refuses the ${who}`, () => {
        given(HELD_DELIVERED)
          .when(caller, clear(), T0 + 3 * DAY + HOUR)
          .refusedWith('FORBIDDEN_ACTOR');
      });
    }

    it('refuses a rule that is not active: never raised, or cleared already', () => {
      given(HELD_DELIVERED)
        .when(RISK, clear('amount.outlier'), T0 + 3 * DAY + HOUR)
        .refusedWith('RISK_FLAG_NOT_FOUND');
      given([...HELD_DELIVERED, [RISK, clear(), T0 + 3 * DAY + HOUR]])
        .when(ACTORS.arbiter, clear(), T0 + 3 * DAY + 2 * HOUR)
        .refusedWith('RISK_FLAG_NOT_FOUND');
    });

    it('refuses a blank reason and a malformed rule', () => {
      given(HELD_DELIVERED)
        .when(RISK, clear(FLAG.rule, ' '), T0 + 3 * DAY + HOUR)
        .refusedWith('INVALID_INPUT');
      given(HELD_DELIVERED)
        .when(RISK, clear('no spaces allowed'), T0 + 3 * DAY + HOUR)
        .refusedWith('INVALID_INPUT');
    });
  });

  describe('a held escrow', () => {
    it('is not released by anyone past its inspection window, until the flag is cleared', () => {
      given(HELD_DELIVERED)
        .when(ACTORS.keeper, RELEASE, INSPECTION_ENDS + 1)
        .refusedWith('ESCROW_HELD');
      given(HELD_DELIVERED)
        .when(ACTORS.marketB, RELEASE, INSPECTION_ENDS + 1)
        .refusedWith('ESCROW_HELD');
      const cleared: Step[] = [...HELD_DELIVERED, [ACTORS.arbiter, clear(), T0 + 4 * DAY]];
      const { escrow } = given(cleared)
        .when(ACTORS.keeper, RELEASE, INSPECTION_ENDS + 1)
        .then();
      expect(escrow.state).to.equal('RELEASED');
    });

    it('keeps the parties’ own moves: the buyer releases, disputes or claims its refund, the seller ships', () => {
      expect(
        given(HELD_DELIVERED)
          .when(ACTORS.alice, RELEASE, T0 + 4 * DAY)
          .then().escrow.state,
      ).to.equal('RELEASED');
      const dispute: Command = { type: 'dispute', reason: 'broken', evidenceHashes: [] };
      expect(
        given(HELD_DELIVERED)
          .when(ACTORS.alice, dispute, T0 + 4 * DAY)
          .then().escrow.state,
      ).to.equal('DISPUTED');
      const heldFunded: Step[] = [...PATH.FUNDED, [RISK, raise(), T0 + 2 * HOUR]];
      const ship: Command = { type: 'ship', carrier: 'DHL', trackingRef: 'TRK-9' };
      expect(
        given(heldFunded)
          .when(ACTORS.bea, ship, T0 + DAY)
          .then().escrow.state,
      ).to.equal('SHIPPED');
      const refund: Command = { type: 'claimRefund' };
      expect(
        given(heldFunded)
          .when(ACTORS.alice, refund, SHIP_BY + 1)
          .then().escrow.state,
      ).to.equal('REFUNDED');
    });

    it('reads back from its stored bytes with its flags; a record without flags reads as none', () => {
      const escrow = run([...HELD_DELIVERED, [ACTORS.arbiter, clear(), T0 + 4 * DAY]]);
      expect(escrowFromBytes(toStateBytes(escrow))).to.deep.equal(escrow);
      const older: Record<string, unknown> = { ...run(PATH.DELIVERED) };
      Reflect.deleteProperty(older, 'riskFlags');
      expect(escrowFromBytes(toStateBytes(older)).riskFlags).to.deep.equal([]);
    });
  });

  describe('a held escrow moving per item', () => {
    const FUNDED_ITEMS: readonly Step[] = [
      [
        ACTORS.marketA,
        {
          type: 'create',
          escrowId: 'esc-items',
          request: createRequest(),
          privateDetailsHash: null,
          settings: DEFAULT_CHANNEL_SETTINGS,
          marketplaces: FOUNDING_REGISTRY,
        },
        T0,
      ],
      [ACTORS.bea, { type: 'accept' }, T0 + HOUR / 2],
      [ACTORS.paymentsA, { type: 'fund', amount: '12345', currency: 'EUR', providerRef: 'psp-i' }, T0 + HOUR],
      [ACTORS.bea, { type: 'shipItem', item: 0, carrier: 'DHL', trackingRef: 'T-0' }, T0 + DAY],
      [ACTORS.alice, { type: 'confirmItemDelivery', item: 0 }, T0 + 2 * DAY],
      [RISK, raise(), T0 + 2 * DAY + HOUR],
    ];
    const releaseItem: Command = { type: 'releaseItem', item: 0 };

    it('refuses the auto-release of an item past its window, not the buyer’s own release', () => {
      given(FUNDED_ITEMS)
        .when(ACTORS.keeper, releaseItem, INSPECTION_ENDS + 1)
        .refusedWith('ESCROW_HELD');
      expect(
        given(FUNDED_ITEMS)
          .when(ACTORS.alice, releaseItem, T0 + 3 * DAY)
          .then().escrow.itemLifecycles?.[0]?.state,
      ).to.equal('RELEASED');
    });

    it('refuses the release of a returned item the buyer kept past shipBackBy, not its refunds', () => {
      const addressed: Step[] = [
        ...FUNDED_ITEMS,
        [ACTORS.alice, { type: 'rejectItem', item: 0, reason: 'not as described' }, T0 + 3 * DAY],
        [
          ACTORS.bea,
          { type: 'provideReturnAddress', item: 0, addressHash: 'b'.repeat(64), addressStored: false },
          T0 + 3 * DAY + HOUR,
        ],
      ];
      const expire: Command = { type: 'expireReturn', item: 0 };
      const late = T0 + 3 * DAY + HOUR + INSPECTION_SECONDS * 1000 + 1;
      given(addressed).when(ACTORS.keeper, expire, late).refusedWith('ESCROW_HELD');
      const rejected = addressed.slice(0, -1);
      const unaddressed = T0 + 3 * DAY + INSPECTION_SECONDS * 1000 + 1;
      expect(
        given(rejected).when(ACTORS.keeper, expire, unaddressed).then().escrow.itemLifecycles?.[0]?.state,
      ).to.equal('REFUNDED');
    });
  });
});
