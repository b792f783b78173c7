import { expect } from 'chai';
import { OrderingOverrideError, orderingWithOverrides } from './topology';

const ordering = {
  batchTimeout: '500ms',
  maxMessageCount: 100,
  absoluteMaxBytes: '10 MB',
  preferredMaxBytes: '2 MB',
};

describe('topology: block cutting overrides for tuning runs', () => {
  it('keeps network/topology.json when nothing is set', () => {
    expect(orderingWithOverrides(ordering, {})).to.deep.equal(ordering);
  });

  it('takes P2P_BATCH_TIMEOUT and P2P_BATCH_MAX_MESSAGES', () => {
    const tuned = orderingWithOverrides(ordering, {
      P2P_BATCH_TIMEOUT: '250ms',
      P2P_BATCH_MAX_MESSAGES: '500',
    });
    expect(tuned).to.include({ batchTimeout: '250ms', maxMessageCount: 500, absoluteMaxBytes: '10 MB' });
  });

  it('refuses values the orderer would not parse, with a stable code', () => {
    expect(() => orderingWithOverrides(ordering, { P2P_BATCH_TIMEOUT: 'fast' }))
      .to.throw(OrderingOverrideError, /P2P_BATCH_TIMEOUT/)
      .with.property('code', 'ORDERING_OVERRIDE_INVALID');
    expect(() => orderingWithOverrides(ordering, { P2P_BATCH_MAX_MESSAGES: '0' })).to.throw(
      OrderingOverrideError,
      /P2P_BATCH_MAX_MESSAGES/,
    );
  });
});
