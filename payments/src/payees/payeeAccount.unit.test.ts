import { expect } from 'chai';
import { checkedPayeeAccount, PayeeAccountError } from './payeeAccount';

const isStripeAccount = (account: string) => /^acct_[A-Za-z0-9]{1,64}$/.test(account);

describe('a payee account registration', () => {
  it("takes a seller's ledger user id and the provider's connected account", () => {
    expect(checkedPayeeAccount('amir', 'acct_1SellerAmir', isStripeAccount)).to.deep.equal({
      userId: 'amir',
      accountId: 'acct_1SellerAmir',
    });
  });

  it('refuses a user id the ledger would not hold as PAYEE_USER_INVALID', () => {
    for (const userId of ['', ' amir', 'a'.repeat(1000), 'amir\n'])
      expect(() => checkedPayeeAccount(userId, 'acct_1', isStripeAccount))
        .to.throw(PayeeAccountError)
        .with.property('code', 'PAYEE_USER_INVALID');
  });

  it('refuses an account the provider does not pay out to as PAYEE_ACCOUNT_INVALID', () => {
    for (const account of ['', 'cus_123', 'acct_', 'acct_1 x', 'DE89370400440532013000'])
      expect(() => checkedPayeeAccount('amir', account, isStripeAccount))
        .to.throw(PayeeAccountError)
        .with.property('code', 'PAYEE_ACCOUNT_INVALID');
  });
});
