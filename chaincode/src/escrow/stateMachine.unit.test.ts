import { expect } from 'chai';
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
  createRequest,
  given,
  run,
} from '../testing/escrowFixtures';
import { checkInvariant } from './invariant';

const INSPECTION_ENDS = T0 + 2 * DAY + 3 * DAY;

describe('escrow state machine', () => {
  describe('create', () => {
    it('opens a PROPOSED escrow whose amount is the sum of its items', () => {
      const { escrow, event } = given([]).when(ACTORS.marketA, CREATE, T0).then();
      expect(escrow.state).to.equal('PROPOSED');
      expect(escrow.acceptance).to.equal(null);
      expect(escrow.amount).to.equal('12345');
      expect(escrow.fundedAmount).to.equal('0');
      expect(event.name).to.equal('EscrowCreated');
      expect(event.payload).to.include({
        escrowId: 'esc-1',
        state: 'PROPOSED',
        txTime: '2030-01-01T00:00:00.000Z',
      });
    });

    it('lets the seller marketplace create too', () => {
      expect(given([]).when(ACTORS.marketB, CREATE, T0).then().escrow.createdBy).to.deep.equal(
        ACTORS.marketB,
      );
    });

    it('refuses a marketplace that is neither party’s', () => {
      const command = {
        ...CREATE,
        request: createRequest({ seller: { marketplace: 'MarketA', userId: 'amir' } }),
      };
      given([]).when(ACTORS.marketB, command, T0).refusedWith('FORBIDDEN_ACTOR');
    });

    it('refuses identities that are not marketplace backends', () => {
      given([]).when(ACTORS.alice, CREATE, T0).refusedWith('FORBIDDEN_ACTOR');
      given([]).when(ACTORS.paymentsA, CREATE, T0).refusedWith('FORBIDDEN_ACTOR');
    });

    it('refuses an existing escrow id', () => {
      given(PATH.CREATED).when(ACTORS.marketA, CREATE, T0).refusedWith('ESCROW_EXISTS');
    });

    const malformed: [string, Record<string, unknown>][] = [
      ['an amount that is not the item sum', { amount: '12346' }],
      ['a leading zero', { amount: '012345' }],
      ['a negative price', { items: [{ description: 'x', price: '-1' }] }],
      ['a decimal price', { items: [{ description: 'x', price: '1.5' }] }],
      ['a numeric price', { items: [{ description: 'x', price: 15 }] }],
      ['a zero price', { items: [{ description: 'x', price: '0' }] }],
      ['no items', { items: [] }],
      [
        'items summing beyond 18 digits',
        {
          amount: undefined,
          items: [
            { description: 'a', price: '9'.repeat(18) },
            { description: 'b', price: '1' },
          ],
        },
      ],
      ['an unknown currency', { currency: 'XXX' }],
      ['a lowercase currency', { currency: 'eur' }],
      ['a fee above 100 %', { feeBps: 10001 }],
      ['a fractional fee', { feeBps: 2.5 }],
      ['fund-by in the past', { fundBy: '2029-12-31T00:00:00Z' }],
      ['ship-by before fund-by', { shipBy: '2030-01-01T12:00:00Z' }],
      ['a local-time deadline', { fundBy: '2030-01-02T00:00:00+01:00' }],
      ['an impossible date', { fundBy: '2030-02-30T00:00:00Z' }],
      ['a zero inspection period', { inspectionPeriodSeconds: 0 }],
      ['an unknown marketplace', { buyer: { marketplace: 'MarketC', userId: 'alice' } }],
      ['buyer and seller being the same user', { seller: { marketplace: 'MarketA', userId: 'alice' } }],
      ['a user id with spaces', { buyer: { marketplace: 'MarketA', userId: 'al ice' } }],
    ];
    for (const [what, overrides] of malformed) {
      it(`refuses ${what} with INVALID_INPUT`, () => {
        const command = { ...CREATE, request: createRequest(overrides) };
        given([]).when(ACTORS.marketA, command, T0).refusedWith('INVALID_INPUT');
      });
    }

    it('refuses oversize input with INPUT_TOO_LARGE', () => {
      const tooMany = Array.from({ length: 51 }, () => ({ description: 'x', price: '1' }));
      given([])
        .when(
          ACTORS.marketA,
          { ...CREATE, request: createRequest({ items: tooMany, amount: undefined }) },
          T0,
        )
        .refusedWith('INPUT_TOO_LARGE');
      const longText = [{ description: 'x'.repeat(201), price: '12345' }];
      given([])
        .when(ACTORS.marketA, { ...CREATE, request: createRequest({ items: longText }) }, T0)
        .refusedWith('INPUT_TOO_LARGE');
      given([])
        .when(ACTORS.marketA, { ...CREATE, request: createRequest({ amount: '1'.repeat(19) }) }, T0)
        .refusedWith('INPUT_TOO_LARGE');
    });
  });

  describe('fund', () => {
    it('moves to FUNDED when the buyer marketplace’s payments identity pays the exact amount', () => {
      const { escrow, event } = given(PATH.CREATED)
        .when(ACTORS.paymentsA, FUND, T0 + HOUR)
        .then();
      expect(escrow.state).to.equal('FUNDED');
      expect(escrow.fundedAmount).to.equal('12345');
      expect(event.name).to.equal('PaymentConfirmed');
    });

    it('refuses the seller marketplace’s payments identity', () => {
      given(PATH.CREATED).when(ACTORS.paymentsB, FUND, T0).refusedWith('FORBIDDEN_ACTOR');
    });

    it('refuses a different amount or currency', () => {
      given(PATH.CREATED)
        .when(ACTORS.paymentsA, { ...FUND, amount: '12344' }, T0)
        .refusedWith('INVALID_INPUT');
      given(PATH.CREATED)
        .when(ACTORS.paymentsA, { ...FUND, currency: 'USD' }, T0)
        .refusedWith('INVALID_INPUT');
    });

    it('refuses funding after fund-by', () => {
      given(PATH.CREATED)
        .when(ACTORS.paymentsA, FUND, FUND_BY + 1)
        .refusedWith('DEADLINE_PASSED');
      expect(given(PATH.CREATED).when(ACTORS.paymentsA, FUND, FUND_BY).then().escrow.state).to.equal(
        'FUNDED',
      );
    });

    it('refuses funding twice', () => {
      given(PATH.FUNDED)
        .when(ACTORS.paymentsA, FUND, T0 + HOUR)
        .refusedWith('INVALID_STATE');
    });
  });

  describe('ship and deliver', () => {
    it('lets only the seller ship, before ship-by', () => {
      expect(given(PATH.FUNDED).when(ACTORS.bea, SHIP, SHIP_BY).then().escrow.state).to.equal('SHIPPED');
      given(PATH.FUNDED)
        .when(ACTORS.beaOnMarketA, SHIP, T0 + DAY)
        .refusedWith('FORBIDDEN_ACTOR');
      given(PATH.FUNDED)
        .when(ACTORS.alice, SHIP, T0 + DAY)
        .refusedWith('FORBIDDEN_ACTOR');
      given(PATH.FUNDED)
        .when(ACTORS.bea, SHIP, SHIP_BY + 1)
        .refusedWith('DEADLINE_PASSED');
      given(PATH.CREATED).when(ACTORS.bea, SHIP, T0).refusedWith('INVALID_STATE');
    });

    it('starts the inspection window when the buyer or a carrier confirms delivery', () => {
      const byBuyer = given(PATH.SHIPPED)
        .when(ACTORS.alice, { type: 'confirmDelivery' }, T0 + 2 * DAY)
        .then();
      expect(byBuyer.escrow.delivery?.inspectionEndsAt).to.equal(new Date(INSPECTION_ENDS).toISOString());
      const byCarrier = given(PATH.SHIPPED)
        .when(ACTORS.carrierA, { type: 'confirmDelivery' }, T0 + 2 * DAY)
        .then();
      expect(byCarrier.escrow.state).to.equal('DELIVERED');
      given(PATH.SHIPPED)
        .when(ACTORS.bea, { type: 'confirmDelivery' }, T0 + 2 * DAY)
        .refusedWith('FORBIDDEN_ACTOR');
    });
  });

  describe('release', () => {
    it('pays the seller the amount minus the fee when the buyer accepts', () => {
      const { escrow, event } = given(PATH.DELIVERED)
        .when(ACTORS.alice, { type: 'release' }, T0 + 3 * DAY)
        .then();
      expect(escrow).to.include({ state: 'RELEASED', buyerRefund: '0', sellerPayout: '12037', fee: '308' });
      expect(event.name).to.equal('Released');
    });

    it('lets the buyer accept a shipment before delivery is confirmed', () => {
      expect(
        given(PATH.SHIPPED)
          .when(ACTORS.alice, { type: 'release' }, T0 + 2 * DAY)
          .then().escrow.state,
      ).to.equal('RELEASED');
      given(PATH.SHIPPED)
        .when(ACTORS.keeper, { type: 'release' }, T0 + 30 * DAY)
        .refusedWith('FORBIDDEN_ACTOR');
    });

    it('lets anyone release once the inspection window is over, and nobody else before', () => {
      given(PATH.DELIVERED)
        .when(ACTORS.keeper, { type: 'release' }, INSPECTION_ENDS - 1)
        .refusedWith('DEADLINE_NOT_REACHED');
      given(PATH.DELIVERED)
        .when(ACTORS.bea, { type: 'release' }, INSPECTION_ENDS - 1)
        .refusedWith('DEADLINE_NOT_REACHED');
      const { escrow } = given(PATH.DELIVERED)
        .when(ACTORS.keeper, { type: 'release' }, INSPECTION_ENDS)
        .then();
      expect(escrow.closure?.closedBy).to.deep.equal(ACTORS.keeper);
    });
  });

  describe('dispute and resolve', () => {
    it('lets the buyer dispute a shipment, and a delivery until the window closes', () => {
      expect(
        given(PATH.SHIPPED)
          .when(ACTORS.alice, DISPUTE, T0 + 2 * DAY)
          .then().event.name,
      ).to.equal('DisputeRaised');
      expect(
        given(PATH.DELIVERED)
          .when(ACTORS.alice, DISPUTE, INSPECTION_ENDS - 1)
          .then().escrow.state,
      ).to.equal('DISPUTED');
      given(PATH.DELIVERED).when(ACTORS.alice, DISPUTE, INSPECTION_ENDS).refusedWith('DEADLINE_PASSED');
      given(PATH.SHIPPED)
        .when(ACTORS.bea, DISPUTE, T0 + 2 * DAY)
        .refusedWith('FORBIDDEN_ACTOR');
    });

    it('lets the buyer dispute an unshipped escrow only after ship-by', () => {
      given(PATH.FUNDED).when(ACTORS.alice, DISPUTE, SHIP_BY).refusedWith('DEADLINE_NOT_REACHED');
      expect(
        given(PATH.FUNDED)
          .when(ACTORS.alice, DISPUTE, SHIP_BY + 1)
          .then().escrow.state,
      ).to.equal('DISPUTED');
    });

    it('keeps evidence as hashes only', () => {
      given(PATH.SHIPPED)
        .when(ACTORS.alice, { ...DISPUTE, evidenceHashes: ['photo.jpg'] }, T0 + 2 * DAY)
        .refusedWith('INVALID_INPUT');
      given(PATH.SHIPPED)
        .when(
          ACTORS.alice,
          { ...DISPUTE, evidenceHashes: Array.from({ length: 21 }, () => 'b'.repeat(64)) },
          T0 + 2 * DAY,
        )
        .refusedWith('INPUT_TOO_LARGE');
    });

    it('splits by the arbiter’s refund, the fee taken from the seller’s share only', () => {
      const { escrow, event } = given(PATH.DISPUTED)
        .when(ACTORS.arbiter, { type: 'resolve', buyerRefund: '2345' }, T0 + 3 * DAY)
        .then();
      expect(escrow).to.include({ state: 'RESOLVED', buyerRefund: '2345', sellerPayout: '9750', fee: '250' });
      expect(event.name).to.equal('Resolved');
      const fullRefund = given(PATH.DISPUTED)
        .when(ACTORS.arbiter, { type: 'resolve', buyerRefund: '12345' }, T0 + 3 * DAY)
        .then();
      expect(fullRefund.escrow).to.include({ buyerRefund: '12345', sellerPayout: '0', fee: '0' });
    });

    it('refuses a split above the funded amount, and anyone but an Oversight arbiter', () => {
      given(PATH.DISPUTED)
        .when(ACTORS.arbiter, { type: 'resolve', buyerRefund: '12346' }, T0 + 3 * DAY)
        .refusedWith('INVALID_INPUT');
      given(PATH.DISPUTED)
        .when(ACTORS.auditor, { type: 'resolve', buyerRefund: '0' }, T0 + 3 * DAY)
        .refusedWith('FORBIDDEN_ACTOR');
      given(PATH.DISPUTED)
        .when(ACTORS.adminA, { type: 'resolve', buyerRefund: '0' }, T0 + 3 * DAY)
        .refusedWith('FORBIDDEN_ACTOR');
    });
  });

  describe('cancel and refund', () => {
    it('lets either party cancel before funding, with nothing to split', () => {
      for (const who of [ACTORS.alice, ACTORS.bea]) {
        const { escrow, event } = given(PATH.CREATED)
          .when(who, { type: 'cancel' }, T0 + HOUR)
          .then();
        expect(escrow).to.include({
          state: 'CANCELLED',
          fundedAmount: '0',
          buyerRefund: '0',
          sellerPayout: '0',
          fee: '0',
        });
        expect(event.name).to.equal('Cancelled');
      }
    });

    it('lets anyone cancel once fund-by has passed unfunded', () => {
      given(PATH.CREATED)
        .when(ACTORS.keeper, { type: 'cancel' }, FUND_BY)
        .refusedWith('DEADLINE_NOT_REACHED');
      expect(
        given(PATH.CREATED)
          .when(ACTORS.keeper, { type: 'cancel' }, FUND_BY + 1)
          .then().escrow.state,
      ).to.equal('CANCELLED');
    });

    it('refunds the buyer in full, without fee, when the seller cancels after funding', () => {
      const { escrow } = given(PATH.FUNDED)
        .when(ACTORS.bea, { type: 'cancel' }, T0 + DAY)
        .then();
      expect(escrow).to.include({ state: 'CANCELLED', buyerRefund: '12345', sellerPayout: '0', fee: '0' });
      given(PATH.FUNDED)
        .when(ACTORS.alice, { type: 'cancel' }, T0 + DAY)
        .refusedWith('FORBIDDEN_ACTOR');
      given(PATH.SHIPPED)
        .when(ACTORS.bea, { type: 'cancel' }, T0 + DAY)
        .refusedWith('INVALID_STATE');
    });

    it('refunds the buyer in full once ship-by has passed without shipment', () => {
      given(PATH.FUNDED)
        .when(ACTORS.alice, { type: 'claimRefund' }, SHIP_BY)
        .refusedWith('DEADLINE_NOT_REACHED');
      const { escrow, event } = given(PATH.FUNDED)
        .when(ACTORS.alice, { type: 'claimRefund' }, SHIP_BY + 1)
        .then();
      expect(escrow).to.include({ state: 'REFUNDED', buyerRefund: '12345', fee: '0' });
      expect(event.name).to.equal('Refunded');
      given(PATH.FUNDED)
        .when(ACTORS.keeper, { type: 'claimRefund' }, SHIP_BY + 1)
        .refusedWith('FORBIDDEN_ACTOR');
    });
  });

  describe('after the end', () => {
    const released = [...PATH.DELIVERED, [ACTORS.alice, { type: 'release' }, T0 + 3 * DAY] as const];

    it('is final: no transition leaves a terminal state', () => {
      given(released)
        .when(ACTORS.alice, DISPUTE, T0 + 3 * DAY)
        .refusedWith('INVALID_STATE');
      given(released)
        .when(ACTORS.bea, { type: 'cancel' }, T0 + 3 * DAY)
        .refusedWith('INVALID_STATE');
      given(released)
        .when(ACTORS.alice, { type: 'release' }, T0 + 3 * DAY)
        .refusedWith('INVALID_STATE');
    });

    it('records each payee’s settlement once, for exactly what is owed', () => {
      const settle = { type: 'recordSettlement', payee: 'seller', providerRef: 'payout-1' } as const;
      const { escrow, event } = given(released)
        .when(ACTORS.paymentsA, settle, T0 + 4 * DAY)
        .then();
      expect(escrow.settlements.seller?.amount).to.equal('12037');
      expect(escrow.state).to.equal('RELEASED');
      expect(event.name).to.equal('SettlementRecorded');
      given([...released, [ACTORS.paymentsA, settle, T0 + 4 * DAY]])
        .when(ACTORS.paymentsA, settle, T0 + 5 * DAY)
        .refusedWith('ALREADY_SETTLED');
      given(released)
        .when(ACTORS.paymentsA, { ...settle, payee: 'buyer' }, T0 + 4 * DAY)
        .refusedWith('INVALID_INPUT');
      given(released)
        .when(ACTORS.paymentsB, settle, T0 + 4 * DAY)
        .refusedWith('FORBIDDEN_ACTOR');
      given(PATH.FUNDED)
        .when(ACTORS.paymentsA, settle, T0 + 4 * DAY)
        .refusedWith('INVALID_STATE');
    });
  });

  describe('same-marketplace trade', () => {
    it('runs the whole lifecycle with parties on one marketplace', () => {
      const request = createRequest({ seller: { marketplace: 'MarketA', userId: 'amir' } });
      const escrow = run([
        [ACTORS.marketA, { ...CREATE, request }, T0],
        [ACTORS.amir, ACCEPT, T0 + HOUR / 2],
        [ACTORS.paymentsA, FUND, T0 + HOUR],
        [ACTORS.amir, SHIP, T0 + DAY],
        [ACTORS.alice, { type: 'release' }, T0 + 2 * DAY],
      ]);
      expect(escrow.state).to.equal('RELEASED');
      checkInvariant(escrow);
    });
  });

  describe('private details erasure', () => {
    const withDetails = { ...CREATE, privateDetailsHash: 'c'.repeat(64) };

    it('records the erasure once, by a party’s marketplace or admin', () => {
      const start = [[ACTORS.marketA, withDetails, T0] as const];
      const { escrow, event } = given(start)
        .when(ACTORS.adminB, { type: 'erasePrivateDetails' }, T0 + HOUR)
        .then();
      expect(escrow.privateDetails).to.deep.include({
        collection: 'escrowPrivate_MarketA_MarketB',
        hash: 'c'.repeat(64),
      });
      expect(escrow.privateDetails?.erasedAt).to.equal(new Date(T0 + HOUR).toISOString());
      expect(event.name).to.equal('PrivateDetailsErased');
      given(start)
        .when(ACTORS.oversightAdmin, { type: 'erasePrivateDetails' }, T0)
        .refusedWith('FORBIDDEN_ACTOR');
      given(start).when(ACTORS.alice, { type: 'erasePrivateDetails' }, T0).refusedWith('FORBIDDEN_ACTOR');
      given([...start, [ACTORS.adminB, { type: 'erasePrivateDetails' }, T0 + HOUR]])
        .when(ACTORS.marketA, { type: 'erasePrivateDetails' }, T0 + 2 * HOUR)
        .refusedWith('PRIVATE_DETAILS_NOT_FOUND');
      given(PATH.CREATED)
        .when(ACTORS.marketA, { type: 'erasePrivateDetails' }, T0)
        .refusedWith('PRIVATE_DETAILS_NOT_FOUND');
    });
  });

  it('refuses every command on an escrow that does not exist', () => {
    given([]).when(ACTORS.paymentsA, FUND, T0).refusedWith('INVALID_STATE');
  });
});
