import { expect } from 'chai';
import { operatorActionOf } from './operatorSecurityEvent';

describe("the operator command's security event", () => {
  it('names the command by its words and never records its options or values', () => {
    expect(operatorActionOf(['channel', 'add-org', 'MarketC', '--as', 'MarketA'])).to.equal(
      'channel add-org',
    );
    expect(operatorActionOf(['payments', 'payee', 'set', 'alice', 'acct_secret'])).to.equal(
      'payments payee set',
    );
    expect(operatorActionOf(['org', '--state', '/secret/dir', 'init'])).to.equal('org');
    expect(operatorActionOf([])).to.equal('(none)');
  });
});
