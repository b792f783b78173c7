// Changed terms at the contract, with the network's real identities: the changed terms travel as
// transient arguments, the other side answers through acceptEscrow or declineEscrow, and the history
// keeps every proposal and answer.
import { expect } from 'chai';
import { CALLERS, foundedLedger, requestJson } from '../testing/contractFixtures';
import type { Caller, FakeLedger } from '../testing/fakeLedger';
import { expectRejection } from '../testing/escrowFixtures';
import { withPositionalSubmits } from '../testing/transientCalls';
import { EscrowContract } from './escrowContract';

const ID = CALLERS;
const CHEAPER = JSON.stringify({
  items: [{ description: 'Camera, used', price: '9000' }],
  feePayer: 'buyer',
});

describe('escrow contract: changed terms before funding', () => {
  let ledger: FakeLedger;
  const contract = withPositionalSubmits(new EscrowContract());
  const as = (who: Caller) => ledger.as(who);
  const record = async (): Promise<Record<string, unknown>> =>
    JSON.parse(await as(ID.arbiter)((ctx) => contract.readEscrow(ctx, 'esc-1'))) as Record<string, unknown>;

  beforeEach(async () => {
    ledger = await foundedLedger();
    await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-1', requestJson()));
  });

  it('takes a counter-proposal from the seller and its acceptance by the buyer’s marketplace, then funds it', async () => {
    for (const who of [ID.arbiter, ID.keeper, ID.paymentsA, ID.amir])
      await expectRejection(
        () => as(who)((ctx) => contract.proposeTerms(ctx, 'esc-1', CHEAPER)),
        'FORBIDDEN_ACTOR',
      );
    await as(ID.bea)((ctx) => contract.proposeTerms(ctx, 'esc-1', CHEAPER));
    expect((await record())['termsChange']).to.include({ proposedBy: 'seller', amount: '9000' });
    await expectRejection(() => as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-1')), 'FORBIDDEN_ACTOR');
    await expectRejection(
      () => as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-1', '9225', 'EUR', 'psp-1')),
      'NOT_ACCEPTED',
    );
    await as(ID.marketA)((ctx) => contract.acceptEscrow(ctx, 'esc-1'));
    expect(await record()).to.include({
      state: 'CREATED',
      amount: '9000',
      buyerFee: '225',
      termsChange: null,
    });
    await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-1', '9225', 'EUR', 'psp-1'));
    expect(ledger.events.map((event) => event.name)).to.deep.equal([
      'EscrowCreated',
      'TermsProposed',
      'TermsAccepted',
      'PaymentConfirmed',
    ]);
  });

  it('keeps the agreed terms when the other side declines, and refuses terms outside the request shape', async () => {
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-1'));
    await expectRejection(
      () => as(ID.alice)((ctx) => contract.proposeTerms(ctx, 'esc-1', JSON.stringify({ currency: 'USD' }))),
      'INVALID_INPUT',
    );
    await as(ID.alice)((ctx) => contract.proposeTerms(ctx, 'esc-1', CHEAPER));
    await as(ID.bea)((ctx) => contract.declineEscrow(ctx, 'esc-1'));
    expect(await record()).to.include({ state: 'CREATED', amount: '10000', termsChange: null });
    expect(ledger.events.at(-1)?.name).to.equal('TermsDeclined');
  });
});
