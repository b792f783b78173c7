import { expect } from 'chai';
import {
  ARGUMENTS_TRANSIENT_KEY,
  RESPONSE_KEY_TRANSIENT_KEY,
  TERMS_SALT_TRANSIENT_KEY,
  TRANSACTIONS,
} from '@p2p-escrow/chaincode';
import { lifecycleSteps } from './lifecycleSteps';

const request = { buyer: { marketplace: 'MarketA', userId: 'alice' }, amount: '12345' };

describe('bench lifecycle steps', () => {
  const steps = lifecycleSteps('bench-e1', request);

  it('are the six transactions of a lifecycle, each signed by its own actor', () => {
    expect(steps.map((step) => [step.identity, step.org, step.proposal.transaction])).to.deep.equal([
      ['marketa-backend', 'MarketA', TRANSACTIONS.createEscrow],
      ['bea', 'MarketB', TRANSACTIONS.acceptEscrow],
      ['marketa-payments', 'MarketA', TRANSACTIONS.fundEscrow],
      ['bea', 'MarketB', TRANSACTIONS.shipEscrow],
      ['alice', 'MarketA', TRANSACTIONS.confirmDelivery],
      ['alice', 'MarketA', TRANSACTIONS.releaseEscrow],
    ]);
  });

  it('name only the escrow in their arguments, which every block carries', () => {
    for (const step of steps) expect(step.proposal.arguments).to.deep.equal(['bench-e1']);
  });

  it('send the parameters as transient arguments', () => {
    const parameters = steps.map((step) => step.proposal.transientData[ARGUMENTS_TRANSIENT_KEY]);
    expect(
      parameters.map((text) => (text === undefined ? undefined : (JSON.parse(text) as unknown))),
    ).to.deep.equal([
      request,
      undefined,
      { amount: '12345', currency: 'EUR', providerRef: 'psp-bench-e1' },
      { carrier: 'DHL', trackingRef: 'trk-bench-e1' },
      undefined,
      undefined,
    ]);
  });

  it('give the create a fresh terms salt, and ask no submit for a sealed record', () => {
    const salt = steps[0]?.proposal.transientData[TERMS_SALT_TRANSIENT_KEY];
    expect(salt).to.match(/^[0-9a-f]{32,128}$/);
    expect(
      lifecycleSteps('bench-e1', request)[0]?.proposal.transientData[TERMS_SALT_TRANSIENT_KEY],
    ).to.not.equal(salt);
    expect(steps.slice(1).map((step) => step.proposal.transientData[TERMS_SALT_TRANSIENT_KEY])).to.deep.equal(
      Array(5).fill(undefined),
    );
    for (const step of steps)
      expect(step.proposal.transientData).to.not.have.property(RESPONSE_KEY_TRANSIENT_KEY);
  });
});
