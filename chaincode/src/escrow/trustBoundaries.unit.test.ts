// The trust boundaries of a trade, on the pure state machine: who may confirm a delivery, the
// channel's bounds on fee and inspection window, deadlines against a proposal stamped within the
// allowed skew, and the text rule on every text field a transaction accepts.
import { expect } from 'chai';
import { type ChannelSettings, DEFAULT_CHANNEL_SETTINGS } from '../config/channelSettings';
import { trustedCarrierOrganizations } from '../config/identityConfig';
import {
  ACCEPT,
  ACTORS,
  CREATE,
  DAY,
  DISPUTE,
  FUND,
  FUND_BY,
  HOUR,
  PATH,
  SHIP,
  SHIP_BY,
  T0,
  type Step,
  createRequest,
  given,
} from '../testing/escrowFixtures';
import type { Actor } from '../identity/actor';
import type { Command } from './stateMachine';

const SKEW = 5 * 60 * 1000;
const DELIVERED_AT = T0 + 2 * DAY;
const INSPECTION_ENDS = DELIVERED_AT + 3 * DAY;
const CONFIRM: Command = { type: 'confirmDelivery' };

function createWith(request: Record<string, unknown>, settings: ChannelSettings = DEFAULT_CHANNEL_SETTINGS) {
  return { ...CREATE, request: createRequest(request), settings };
}

/** A same-marketplace trade on MarketA: amir sells to alice. */
const SAME_MARKET_A: readonly Step[] = [
  [ACTORS.marketA, createWith({ seller: { marketplace: 'MarketA', userId: 'amir' } }), T0],
  [ACTORS.amir, ACCEPT, T0 + HOUR / 2],
  [ACTORS.paymentsA, FUND, T0 + HOUR],
  [ACTORS.amir, SHIP, T0 + DAY],
];

describe('trust boundaries of a trade', () => {
  describe('who confirms a delivery', () => {
    it('trusts carriers of the buyer’s marketplace and of Oversight, never of the seller’s', () => {
      expect(trustedCarrierOrganizations('MarketA', 'MarketB')).to.deep.equal(['MarketA', 'Oversight']);
      expect(trustedCarrierOrganizations('MarketB', 'MarketA')).to.deep.equal(['MarketB', 'Oversight']);
      expect(trustedCarrierOrganizations('MarketA', 'MarketA')).to.deep.equal(['Oversight']);
    });

    it('refuses the seller’s marketplace carrier on a cross-marketplace trade, and accepts the buyer’s side', () => {
      given(PATH.SHIPPED).when(ACTORS.carrierB, CONFIRM, DELIVERED_AT).refusedWith('FORBIDDEN_ACTOR');
      for (const carrier of [ACTORS.carrierA, ACTORS.carrierOversight]) {
        const { escrow } = given(PATH.SHIPPED).when(carrier, CONFIRM, DELIVERED_AT).then();
        expect(escrow.state).to.equal('DELIVERED');
        expect(escrow.delivery?.confirmedBy).to.deep.equal(carrier);
      }
    });

    it('needs Oversight’s carrier or the buyer on a same-marketplace trade', () => {
      given(SAME_MARKET_A).when(ACTORS.carrierA, CONFIRM, DELIVERED_AT).refusedWith('FORBIDDEN_ACTOR');
      expect(
        given(SAME_MARKET_A).when(ACTORS.carrierOversight, CONFIRM, DELIVERED_AT).then().escrow.state,
      ).to.equal('DELIVERED');
      expect(given(SAME_MARKET_A).when(ACTORS.alice, CONFIRM, DELIVERED_AT).then().escrow.state).to.equal(
        'DELIVERED',
      );
    });

    it('refuses other roles of the buyer’s marketplace', () => {
      for (const who of [ACTORS.marketA, ACTORS.paymentsA, ACTORS.adminA, ACTORS.keeper]) {
        given(PATH.SHIPPED).when(who, CONFIRM, DELIVERED_AT).refusedWith('FORBIDDEN_ACTOR');
      }
    });
  });

  describe('channel bounds on the terms', () => {
    it('caps the fee at 2000 bps (20 %) by default', () => {
      expect(DEFAULT_CHANNEL_SETTINGS.maxFeeBps).to.equal(2_000);
      given([])
        .when(ACTORS.marketA, createWith({ feeBps: 2_001 }), T0)
        .refusedWith('INVALID_INPUT');
      given([])
        .when(ACTORS.marketA, createWith({ feeBps: 10_000 }), T0)
        .refusedWith('INVALID_INPUT');
      expect(
        given([])
          .when(ACTORS.marketA, createWith({ feeBps: 2_000 }), T0)
          .then().escrow.feeBps,
      ).to.equal(2_000);
    });

    it('applies the channel’s own fee cap', () => {
      const settings = { ...DEFAULT_CHANNEL_SETTINGS, maxFeeBps: 500 };
      given([])
        .when(ACTORS.marketA, createWith({ feeBps: 501 }, settings), T0)
        .refusedWith('INVALID_INPUT');
      expect(
        given([])
          .when(ACTORS.marketA, createWith({ feeBps: 500 }, settings), T0)
          .then().escrow.feeBps,
      ).to.equal(500);
    });

    it('gives the buyer at least 24 hours to inspect by default', () => {
      expect(DEFAULT_CHANNEL_SETTINGS.minInspectionPeriodSeconds).to.equal(86_400);
      for (const seconds of [1, 3_600, 86_399]) {
        given([])
          .when(ACTORS.marketA, createWith({ inspectionPeriodSeconds: seconds }), T0)
          .refusedWith('INVALID_INPUT');
      }
      const { escrow } = given([])
        .when(ACTORS.marketA, createWith({ inspectionPeriodSeconds: 86_400 }), T0)
        .then();
      expect(escrow.inspectionPeriodSeconds).to.equal(86_400);
    });

    it('accepts short windows on a channel whose settings allow them (the local test channel)', () => {
      const settings = { ...DEFAULT_CHANNEL_SETTINGS, minInspectionPeriodSeconds: 1 };
      const { escrow } = given([])
        .when(ACTORS.marketA, createWith({ inspectionPeriodSeconds: 2 }, settings), T0)
        .then();
      expect(escrow.inspectionPeriodSeconds).to.equal(2);
    });
  });

  describe('deadlines against a proposal stamped within the allowed skew', () => {
    // The transaction time says the deadline has passed; the endorser's own clock says it has not.
    const early = (deadline: number) => [deadline + 1, deadline + 1 - SKEW] as const;

    it('refuses an auto-release postdated past the inspection window while the endorser’s clock is still in it', () => {
      const [stamped, endorser] = early(INSPECTION_ENDS);
      given(PATH.DELIVERED)
        .when(ACTORS.keeper, { type: 'release' }, stamped, endorser)
        .refusedWith('DEADLINE_NOT_REACHED');
      const released = given(PATH.DELIVERED)
        .when(ACTORS.keeper, { type: 'release' }, INSPECTION_ENDS, INSPECTION_ENDS)
        .then();
      expect(released.escrow.state).to.equal('RELEASED');
    });

    it('refuses a cancel by a non-party postdated past fund-by while the endorser’s clock is before it', () => {
      const [stamped, endorser] = early(FUND_BY);
      given(PATH.CREATED)
        .when(ACTORS.keeper, { type: 'cancel' }, stamped, endorser)
        .refusedWith('DEADLINE_NOT_REACHED');
      expect(
        given(PATH.CREATED)
          .when(ACTORS.keeper, { type: 'cancel' }, FUND_BY + 1, FUND_BY + 1)
          .then().escrow.state,
      ).to.equal('CANCELLED');
    });

    it('refuses a refund claim or a dispute postdated past ship-by while the endorser’s clock is before it', () => {
      const [stamped, endorser] = early(SHIP_BY);
      given(PATH.FUNDED)
        .when(ACTORS.alice, { type: 'claimRefund' }, stamped, endorser)
        .refusedWith('DEADLINE_NOT_REACHED');
      given(PATH.FUNDED).when(ACTORS.alice, DISPUTE, stamped, endorser).refusedWith('DEADLINE_NOT_REACHED');
      expect(
        given(PATH.FUNDED)
          .when(ACTORS.alice, { type: 'claimRefund' }, SHIP_BY + 1, SHIP_BY + 1)
          .then().escrow.state,
      ).to.equal('REFUNDED');
    });

    it('refuses funding, shipping or a dispute backdated into a window the endorser’s clock has left', () => {
      given(PATH.CREATED)
        .when(ACTORS.paymentsA, FUND, FUND_BY, FUND_BY + SKEW)
        .refusedWith('DEADLINE_PASSED');
      given(PATH.FUNDED)
        .when(ACTORS.bea, SHIP, SHIP_BY, SHIP_BY + SKEW)
        .refusedWith('DEADLINE_PASSED');
      given(PATH.DELIVERED)
        .when(ACTORS.alice, DISPUTE, INSPECTION_ENDS - 1, INSPECTION_ENDS + SKEW)
        .refusedWith('DEADLINE_PASSED');
    });
  });

  describe('text fields', () => {
    const NUL = '\u0000';
    const cases: [string, readonly Step[], Actor, Command][] = [
      ['the escrow id', [], ACTORS.marketA, { ...CREATE, escrowId: `esc${NUL}1` }],
      [
        'an item description',
        [],
        ACTORS.marketA,
        createWith({ items: [{ description: `Camera${NUL}`, price: '12345' }] }),
      ],
      [
        'a party’s user id',
        [],
        ACTORS.marketA,
        createWith({ buyer: { marketplace: 'MarketA', userId: `al${NUL}ice` } }),
      ],
      ['the currency', [], ACTORS.marketA, createWith({ currency: `EU${NUL}` })],
      ['the provider reference', PATH.CREATED, ACTORS.paymentsA, { ...FUND, providerRef: `psp${NUL}` }],
      ['the carrier', PATH.FUNDED, ACTORS.bea, { ...SHIP, carrier: `DHL${NUL}` }],
      ['the tracking reference', PATH.FUNDED, ACTORS.bea, { ...SHIP, trackingRef: `TRK${NUL}` }],
      ['the dispute reason', PATH.SHIPPED, ACTORS.alice, { ...DISPUTE, reason: `broken${NUL}` }],
      [
        'an evidence hash',
        PATH.SHIPPED,
        ACTORS.alice,
        { ...DISPUTE, evidenceHashes: [`${'a'.repeat(63)}${NUL}`] },
      ],
    ];
    for (const [field, path, who, command] of cases) {
      it(`refuses U+0000 in ${field} with INVALID_TEXT`, () => {
        given(path)
          .when(who, command, T0 + DAY)
          .refusedWith('INVALID_TEXT');
      });
    }

    it('refuses a line break, a C1 control and an unpaired surrogate in a dispute reason, and accepts emoji', () => {
      for (const reason of ['broken\nsee photos', 'broken\u0085', 'broken \ud83d']) {
        given(PATH.SHIPPED)
          .when(ACTORS.alice, { ...DISPUTE, reason }, T0 + 2 * DAY)
          .refusedWith('INVALID_TEXT');
      }
      const { escrow } = given(PATH.SHIPPED)
        .when(ACTORS.alice, { ...DISPUTE, reason: 'broken 📷' }, T0 + 2 * DAY)
        .then();
      expect(escrow.dispute?.reason).to.equal('broken 📷');
    });
  });
});
