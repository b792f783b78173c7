import { expect } from 'chai';
import { TRANSACTIONS } from './contractInfo';
import { EscrowContract } from './escrowContract';

describe('the transaction names the contract publishes', () => {
  it('are exactly the transactions the contract class serves', () => {
    const served = Object.getOwnPropertyNames(EscrowContract.prototype).filter(
      (name) => name !== 'constructor',
    );
    expect([...served].sort()).to.deep.equal(Object.values(TRANSACTIONS).sort());
    for (const [key, name] of Object.entries(TRANSACTIONS)) expect(name).to.equal(key);
  });
});
