// Terms bind only with both sides' consent: a proposal waits for the counterparty (or, across
// marketplaces, its marketplace acting for it), cannot be funded or reviewed before, and expires.
import { expect } from 'chai';
import { DEFAULT_CHANNEL_SETTINGS } from '../config/channelSettings';
import { EscrowError } from '../errors/escrowErrors';
import { parseEscrow } from './escrowCodec';
import { postReview } from '../reviews/review';
import {
  ACCEPT,
  ACTORS,
  CREATE,
  DAY,
  FUND,
  FUND_BY,
  HOUR,
  PATH,
  T0,
  createRequest,
  expectRefusal,
  given,
  run,
  type Step,
} from '../testing/escrowFixtures';
import { checkInvariant } from './invariant';
import type { Command } from './stateMachine';

const SKEW = 5 * 60 * 1000;
const DECLINE: Command = { type: 'decline' };
const EXPIRE: Command = { type: 'expireProposal' };

function proposal(overrides: Record<string, unknown>): typeof CREATE {
  return { ...CREATE, request: createRequest(overrides) };
}

const ACCEPT_BY = T0 + 6 * HOUR;
/** MarketA proposes alice's purchase from bea, open for acceptance until ACCEPT_BY. */
const PROPOSED: readonly Step[] = [
  [ACTORS.marketA, proposal({ acceptBy: new Date(ACCEPT_BY).toISOString() }), T0],
];
/** MarketB proposes bea's sale to alice: now alice (or MarketA for her) must agree. */
const PROPOSED_BY_SELLER: readonly Step[] = [[ACTORS.marketB, CREATE, T0]];
/** MarketA proposes alice's purchase from amir, also on MarketA. */
const PROPOSED_SAME_MARKET: readonly Step[] = [
  [ACTORS.marketA, proposal({ seller: { marketplace: 'MarketA', userId: 'amir' } }), T0],
];

describe('consent to an escrow’s terms', () => {
  describe('a proposal', () => {
    it('opens PROPOSED, accept-by defaulting to two days but never past fund-by', () => {
      const { escrow } = given([]).when(ACTORS.marketA, CREATE, T0).then();
      expect(escrow).to.include({ state: 'PROPOSED', acceptBy: new Date(FUND_BY).toISOString() });
      const later = proposal({ fundBy: new Date(T0 + 5 * DAY).toISOString() });
      expect(given([]).when(ACTORS.marketA, later, T0).then().escrow.acceptBy).to.equal(
        new Date(T0 + 2 * DAY).toISOString(),
      );
    });

    it('refuses an accept-by in the past, after fund-by, or beyond the channel’s longest window', () => {
      for (const acceptBy of [T0, FUND_BY + 1]) {
        given([])
          .when(ACTORS.marketA, proposal({ acceptBy: new Date(acceptBy).toISOString() }), T0)
          .refusedWith('INVALID_INPUT');
      }
      const settings = { ...DEFAULT_CHANNEL_SETTINGS, maxAcceptancePeriodSeconds: 3600 };
      const command = { ...proposal({ acceptBy: new Date(T0 + HOUR + 1).toISOString() }), settings };
      given([]).when(ACTORS.marketA, command, T0).refusedWith('INVALID_INPUT');
      const defaulted = given([])
        .when(ACTORS.marketA, { ...command, request: createRequest() }, T0)
        .then();
      expect(defaulted.escrow.acceptBy).to.equal(new Date(T0 + HOUR).toISOString());
    });

    it('cannot be funded before the counterparty accepts', () => {
      given(PROPOSED)
        .when(ACTORS.paymentsA, FUND, T0 + HOUR)
        .refusedWith('NOT_ACCEPTED');
    });
  });

  describe('who may accept', () => {
    it('the counterparty across marketplaces, or its marketplace acting for it', () => {
      const byBea = given(PROPOSED)
        .when(ACTORS.bea, ACCEPT, T0 + HOUR)
        .then();
      expect(byBea.escrow).to.include({ state: 'CREATED' });
      expect(byBea.escrow.acceptance).to.deep.equal({
        acceptedAt: new Date(T0 + HOUR).toISOString(),
        acceptedBy: ACTORS.bea,
      });
      expect(byBea.event.name).to.equal('EscrowAccepted');
      expect(
        given(PROPOSED)
          .when(ACTORS.marketB, ACCEPT, T0 + HOUR)
          .then().escrow.state,
      ).to.equal('CREATED');
      const byAlice = given(PROPOSED_BY_SELLER)
        .when(ACTORS.alice, ACCEPT, T0 + HOUR)
        .then();
      expect(byAlice.escrow.acceptance?.acceptedBy).to.deep.equal(ACTORS.alice);
      expect(given(PROPOSED_BY_SELLER).when(ACTORS.marketA, ACCEPT, T0).then().escrow.state).to.equal(
        'CREATED',
      );
    });

    it('never the creator’s side, nor anyone outside the trade', () => {
      for (const who of [ACTORS.marketA, ACTORS.alice, ACTORS.paymentsA, ACTORS.adminA, ACTORS.carrierA])
        given(PROPOSED)
          .when(who, ACCEPT, T0 + HOUR)
          .refusedWith('FORBIDDEN_ACTOR');
      for (const who of [ACTORS.marketB, ACTORS.bea, ACTORS.paymentsB])
        given(PROPOSED_BY_SELLER)
          .when(who, ACCEPT, T0 + HOUR)
          .refusedWith('FORBIDDEN_ACTOR');
      for (const who of [ACTORS.bob, ACTORS.paymentsB, ACTORS.arbiter, ACTORS.keeper, ACTORS.beaOnMarketA])
        given(PROPOSED)
          .when(who, ACCEPT, T0 + HOUR)
          .refusedWith('FORBIDDEN_ACTOR');
    });

    it('on one marketplace, only the counterparty user: the marketplace is the creator', () => {
      given(PROPOSED_SAME_MARKET)
        .when(ACTORS.marketA, ACCEPT, T0 + HOUR)
        .refusedWith('FORBIDDEN_ACTOR');
      given(PROPOSED_SAME_MARKET)
        .when(ACTORS.alice, ACCEPT, T0 + HOUR)
        .refusedWith('FORBIDDEN_ACTOR');
      expect(
        given(PROPOSED_SAME_MARKET)
          .when(ACTORS.amir, ACCEPT, T0 + HOUR)
          .then().escrow.state,
      ).to.equal('CREATED');
    });

    it('only while the proposal is open on both clocks, and only once', () => {
      expect(given(PROPOSED).when(ACTORS.bea, ACCEPT, ACCEPT_BY).then().escrow.state).to.equal('CREATED');
      given(PROPOSED)
        .when(ACTORS.bea, ACCEPT, ACCEPT_BY + 1)
        .refusedWith('DEADLINE_PASSED');
      given(PROPOSED)
        .when(ACTORS.bea, ACCEPT, ACCEPT_BY - SKEW, ACCEPT_BY + 1)
        .refusedWith('DEADLINE_PASSED');
      given(PATH.CREATED)
        .when(ACTORS.bea, ACCEPT, T0 + HOUR)
        .refusedWith('INVALID_STATE');
    });
  });

  describe('declining and expiry', () => {
    it('lets the counterparty decline, which ends the proposal with nothing moved', () => {
      given(PROPOSED)
        .when(ACTORS.marketA, DECLINE, T0 + HOUR)
        .refusedWith('FORBIDDEN_ACTOR');
      const { escrow, event } = given(PROPOSED)
        .when(ACTORS.marketB, DECLINE, T0 + HOUR)
        .then();
      expect(escrow).to.include({ state: 'CANCELLED', fundedAmount: '0', buyerRefund: '0', fee: '0' });
      expect(event.name).to.equal('EscrowDeclined');
      checkInvariant(escrow);
      given(PATH.CREATED)
        .when(ACTORS.bea, DECLINE, T0 + HOUR)
        .refusedWith('INVALID_STATE');
    });

    it('lets anyone expire it once accept-by has passed on both clocks', () => {
      given(PROPOSED).when(ACTORS.keeper, EXPIRE, ACCEPT_BY).refusedWith('DEADLINE_NOT_REACHED');
      given(PROPOSED)
        .when(ACTORS.keeper, EXPIRE, ACCEPT_BY + SKEW, ACCEPT_BY)
        .refusedWith('DEADLINE_NOT_REACHED');
      const { escrow, event } = given(PROPOSED)
        .when(ACTORS.keeper, EXPIRE, ACCEPT_BY + 1)
        .then();
      expect(escrow.state).to.equal('CANCELLED');
      expect(event.name).to.equal('EscrowExpired');
      given(PATH.CREATED)
        .when(ACTORS.keeper, EXPIRE, FUND_BY + DAY)
        .refusedWith('INVALID_STATE');
    });

    it('lets either party withdraw a proposal, as before funding', () => {
      expect(
        given(PROPOSED)
          .when(ACTORS.alice, { type: 'cancel' }, T0 + HOUR)
          .then().event.name,
      ).to.equal('Cancelled');
    });
  });

  describe('reviews and records from before consent', () => {
    it('refuses a review of a trade never accepted, and of one accepted but never funded', () => {
      const declined = run([...PROPOSED, [ACTORS.bea, DECLINE, T0 + HOUR]]);
      expectRefusal(
        () => postReview(declined, ACTORS.alice, '1', 'a'.repeat(64), T0 + DAY, false),
        'NOT_ACCEPTED',
      );
      const withdrawn = run([...PATH.CREATED, [ACTORS.alice, { type: 'cancel' }, T0 + HOUR]]);
      expectRefusal(
        () => postReview(withdrawn, ACTORS.alice, '1', 'a'.repeat(64), T0 + DAY, false),
        'INVALID_STATE',
      );
    });

    it('reads a record written before consent existed, and refuses to fund it', () => {
      const legacy: Record<string, unknown> = { ...run(PATH.PROPOSED), state: 'CREATED' };
      delete legacy['acceptBy'];
      delete legacy['acceptance'];
      const escrow = parseEscrow(legacy);
      expect([escrow.acceptBy, escrow.acceptance]).to.deep.equal([null, null]);
      try {
        run([[ACTORS.paymentsA, FUND, T0 + HOUR]], escrow);
        expect.fail('funded a record nobody accepted');
      } catch (error) {
        expect(error).to.be.instanceOf(EscrowError);
        if (error instanceof EscrowError) expect(error.code).to.equal('NOT_ACCEPTED');
      }
    });

    it('aborts a write that would hold funding without an acceptance', () => {
      const funded = run(PATH.FUNDED);
      expectRefusal(() => {
        checkInvariant({ ...funded, acceptance: null });
      }, 'INVARIANT_VIOLATION');
      expectRefusal(() => {
        checkInvariant({ ...run(PATH.PROPOSED), acceptBy: null });
      }, 'INVARIANT_VIOLATION');
    });
  });
});
