// GET /v1/transactions/{txId} answers only the submitter, its marketplace and auditors: a
// transaction id seen in a webhook or a log is no key to its status.
import { expect } from 'chai';
import { as, createdByMarketA, type Caller } from '@p2p-escrow/testkit';

describe('gateway e2e: who may read a transaction’s status', function () {
  this.timeout(120_000);
  let transactionId = '';

  before(async () => {
    const created = await createdByMarketA('txread');
    transactionId = String(created.body['transactionId']);
  });

  const status = (caller: Caller, id = transactionId) => as(caller, 'GET', `/v1/transactions/${id}`);

  it('the submitting marketplace backend and an auditor read it', async () => {
    for (const caller of ['marketa-backend', 'oscar'] as const) {
      const answer = await status(caller);
      expect([answer.status, answer.body['status']], `${caller}: ${answer.text}`).to.deep.equal([
        200,
        'COMMITTED',
      ]);
    }
  });

  it('the other marketplace, a party’s user and an arbiter get 404 TRANSACTION_NOT_FOUND', async () => {
    for (const caller of ['marketb-backend', 'bob', 'alice', 'olivia'] as const) {
      const answer = await status(caller);
      expect([answer.status, answer.body['code']], `${caller}: ${answer.text}`).to.deep.equal([
        404,
        'TRANSACTION_NOT_FOUND',
      ]);
    }
  });

  it('an id the gateway never answered with is 404 TRANSACTION_NOT_FOUND, like another’s', async () => {
    const answer = await status('marketa-backend', 'f'.repeat(64));
    expect([answer.status, answer.body['code']], answer.text).to.deep.equal([404, 'TRANSACTION_NOT_FOUND']);
  });
});
