// Changed terms before funding: either side proposes, the other accepts or declines through the same
// accept and decline that answer the first proposal; nothing can be funded while a change is pending.
import { expect } from 'chai';
import { DEFAULT_CHANNEL_SETTINGS } from '../config/channelSettings';
import type { Actor } from '../identity/actor';
import {
  ACCEPT,
  ACTORS,
  CREATE,
  DAY,
  FUND,
  FUND_BY,
  HOUR,
  PATH,
  SHIP_BY,
  T0,
  createRequest,
  expectRefusal,
  run,
} from '../testing/escrowFixtures';
import type { Escrow } from './escrow';
import { parseEscrow } from './escrowCodec';
import { checkInvariant } from './invariant';
import { applyCommand } from './stateMachine';
import { proposeTerms } from './termsChange';

const DECLINE = { type: 'decline' } as const;
const CHEAPER = { items: [{ description: 'Camera, used', price: '10000' }] };

function propose(escrow: Escrow, who: Actor, request: unknown, at: number) {
  return proposeTerms(escrow, request, DEFAULT_CHANNEL_SETTINGS, who, { now: at, endorserNow: at });
}

function answer(escrow: Escrow, who: Actor, command: typeof ACCEPT | typeof DECLINE, at: number) {
  return applyCommand(escrow, command, who, at);
}

describe('changed terms before funding', () => {
  describe('a proposal', () => {
    it('holds the changed items, amount, fee share and deadlines, and blocks funding until answered', () => {
      const agreed = run(PATH.CREATED);
      const shipBy = new Date(SHIP_BY + DAY).toISOString();
      const { escrow, event } = propose(
        agreed,
        ACTORS.bea,
        { ...CHEAPER, feePayer: 'buyer', shipBy },
        T0 + HOUR,
      );
      expect(escrow.state).to.equal('CREATED');
      expect(escrow.amount).to.equal('12345');
      expect(escrow.termsChange).to.include({
        proposedBy: 'seller',
        amount: '10000',
        buyerFeeShareBps: 10_000,
        buyerFee: '250',
        shipBy,
      });
      expect(event.name).to.equal('TermsProposed');
      expect(event.payload.details).to.include({
        proposedBy: 'seller',
        amount: '10000',
        items: 1,
        replaced: null,
      });
      checkInvariant(escrow);
      expectRefusal(() => run([[ACTORS.paymentsA, FUND, T0 + 2 * HOUR]], escrow), 'NOT_ACCEPTED');
      const funded = run(PATH.FUNDED);
      expectRefusal(() => {
        checkInvariant({ ...funded, termsChange: escrow.termsChange });
      }, 'INVARIANT_VIOLATION');
    });

    it('may come from either side or, across marketplaces, its marketplace acting for it', () => {
      const agreed = run(PATH.CREATED);
      for (const [who, side] of [
        [ACTORS.alice, 'buyer'],
        [ACTORS.marketA, 'buyer'],
        [ACTORS.bea, 'seller'],
        [ACTORS.marketB, 'seller'],
      ] as const)
        expect(propose(agreed, who, CHEAPER, T0 + HOUR).escrow.termsChange?.proposedBy).to.equal(side);
    });

    it('never from the arbiter, the payments service, another user, a lookalike or an outside backend', () => {
      const agreed = run(PATH.CREATED);
      for (const who of [
        ACTORS.arbiter,
        ACTORS.keeper,
        ACTORS.auditor,
        ACTORS.paymentsA,
        ACTORS.adminA,
        ACTORS.bob,
        ACTORS.mallory,
        ACTORS.aliceAsSeller,
        ACTORS.beaOnMarketA,
      ])
        expectRefusal(() => propose(agreed, who, CHEAPER, T0 + HOUR), 'FORBIDDEN_ACTOR');
    });

    it('on one marketplace, only from the users: its backend would speak for both sides', () => {
      const request = createRequest({ seller: { marketplace: 'MarketA', userId: 'amir' } });
      const same = run([
        [ACTORS.marketA, { ...CREATE, request }, T0],
        [ACTORS.amir, ACCEPT, T0 + HOUR / 2],
      ]);
      expectRefusal(() => propose(same, ACTORS.marketA, CHEAPER, T0 + HOUR), 'FORBIDDEN_ACTOR');
      expect(propose(same, ACTORS.amir, CHEAPER, T0 + HOUR).escrow.termsChange?.proposedBy).to.equal(
        'seller',
      );
    });

    it('refuses terms the channel or the rules do not allow, unchangeable terms, and no change at all', () => {
      const agreed = run(PATH.CREATED);
      const at = T0 + HOUR;
      for (const request of [
        { feeBps: 100 },
        { currency: 'USD' },
        { seller: { marketplace: 'MarketB', userId: 'bob' } },
        { items: [] },
        { items: [{ description: 'Camera', price: '0' }] },
        { items: CHEAPER.items, amount: '9999' },
        { amount: '10000' },
        { inspectionPeriodSeconds: 1 },
        { deliveryPeriodSeconds: 0 },
        { feePayer: 'split' },
        { fundBy: new Date(at).toISOString() },
        { shipBy: new Date(FUND_BY).toISOString() },
        { fundBy: new Date(at + 400 * DAY).toISOString() },
        { shipBy: 'tomorrow' },
        {},
        { items: run(PATH.CREATED).items },
        'not an object',
      ])
        expectRefusal(() => propose(agreed, ACTORS.bea, request, at), 'INVALID_INPUT');
    });

    it('only before funding', () => {
      for (const path of [PATH.FUNDED, PATH.SHIPPED, PATH.DISPUTED])
        expectRefusal(() => propose(run(path), ACTORS.bea, CHEAPER, T0 + 3 * DAY), 'INVALID_STATE');
      const cancelled = run([...PATH.CREATED, [ACTORS.alice, { type: 'cancel' }, T0 + HOUR]]);
      expectRefusal(() => propose(cancelled, ACTORS.bea, CHEAPER, T0 + 2 * HOUR), 'INVALID_STATE');
    });
  });

  describe('answering', () => {
    it('accepted by the other side: the changed terms bind and can be funded at their amount', () => {
      const pending = propose(
        run(PATH.CREATED),
        ACTORS.bea,
        { ...CHEAPER, feePayer: 'buyer' },
        T0 + HOUR,
      ).escrow;
      const { escrow, event } = answer(pending, ACTORS.alice, ACCEPT, T0 + 2 * HOUR);
      expect(event.name).to.equal('TermsAccepted');
      expect(escrow).to.include({ state: 'CREATED', amount: '10000', buyerFee: '250', termsChange: null });
      expect(escrow.items).to.deep.equal(CHEAPER.items);
      expect(escrow.acceptance?.acceptedBy).to.deep.equal(ACTORS.alice);
      checkInvariant(escrow);
      const funded = run([[ACTORS.paymentsA, { ...FUND, amount: '10250' }, T0 + 3 * HOUR]], escrow);
      expect(funded.fundedAmount).to.equal('10250');
      checkInvariant(funded);
    });

    it('never by the proposer itself (nor its marketplace for it), the arbiter or an outsider', () => {
      const pending = propose(run(PATH.CREATED), ACTORS.bea, CHEAPER, T0 + HOUR).escrow;
      for (const who of [ACTORS.bea, ACTORS.marketB, ACTORS.arbiter, ACTORS.keeper, ACTORS.bob])
        for (const command of [ACCEPT, DECLINE])
          expectRefusal(() => answer(pending, who, command, T0 + 2 * HOUR), 'FORBIDDEN_ACTOR');
      expect(answer(pending, ACTORS.marketA, ACCEPT, T0 + 2 * HOUR).event.name).to.equal('TermsAccepted');
    });

    it('declined: the terms in force stay, and the escrow can be funded as agreed before', () => {
      const agreed = run(PATH.CREATED);
      const pending = propose(agreed, ACTORS.alice, CHEAPER, T0 + HOUR).escrow;
      const { escrow, event } = answer(pending, ACTORS.bea, DECLINE, T0 + 2 * HOUR);
      expect(event.name).to.equal('TermsDeclined');
      expect(escrow).to.include({ state: 'CREATED', amount: '12345', termsChange: null });
      expect(escrow.acceptance).to.deep.equal(agreed.acceptance);
      expect(run([[ACTORS.paymentsA, FUND, T0 + 3 * HOUR]], escrow).state).to.equal('FUNDED');
    });

    it('a counter-proposal to a first proposal, then acceptance, binds the countered terms', () => {
      const proposed = run(PATH.PROPOSED);
      const countered = propose(proposed, ACTORS.bea, CHEAPER, T0 + HOUR).escrow;
      expect(countered.state).to.equal('PROPOSED');
      const revised = propose(
        countered,
        ACTORS.alice,
        { items: [{ description: 'Camera', price: '11000' }] },
        T0 + 2 * HOUR,
      );
      expect(revised.event.payload.details['replaced']).to.equal('countered');
      expect(
        propose(revised.escrow, ACTORS.alice, CHEAPER, T0 + 3 * HOUR).event.payload.details['replaced'],
      ).to.equal('superseded');
      const { escrow } = answer(revised.escrow, ACTORS.bea, ACCEPT, T0 + 3 * HOUR);
      expect(escrow).to.include({ state: 'CREATED', amount: '11000' });
      checkInvariant(escrow);
    });

    it('declining a counter leaves the first proposal unaccepted, awaiting its counterparty', () => {
      const countered = propose(run(PATH.PROPOSED), ACTORS.bea, CHEAPER, T0 + HOUR).escrow;
      const { escrow } = answer(countered, ACTORS.alice, DECLINE, T0 + 2 * HOUR);
      expect(escrow).to.include({ state: 'PROPOSED', amount: '12345', acceptance: null, termsChange: null });
      expect(answer(escrow, ACTORS.bea, ACCEPT, T0 + 3 * HOUR).event.name).to.equal('EscrowAccepted');
    });

    it('accepting needs the first proposal still open and the changed fund-by not passed', () => {
      const countered = propose(run(PATH.PROPOSED), ACTORS.bea, CHEAPER, T0 + HOUR).escrow;
      expectRefusal(() => answer(countered, ACTORS.alice, ACCEPT, FUND_BY + 1), 'DEADLINE_PASSED');
      const pending = propose(run(PATH.CREATED), ACTORS.bea, CHEAPER, T0 + HOUR).escrow;
      expectRefusal(() => answer(pending, ACTORS.alice, ACCEPT, FUND_BY + 1), 'DEADLINE_PASSED');
    });

    it('stores and reads back a pending change, and reads records from before changes as having none', () => {
      const pending = propose(run(PATH.CREATED), ACTORS.bea, CHEAPER, T0 + HOUR).escrow;
      expect(parseEscrow(JSON.parse(JSON.stringify(pending)))).to.deep.equal(pending);
      const legacy: Record<string, unknown> = { ...run(PATH.CREATED) };
      delete legacy['termsChange'];
      expect(parseEscrow(legacy).termsChange).to.equal(null);
    });
  });
});
