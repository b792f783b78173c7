// A commit status the gateway did not get in time must not turn into "pending" (or a resubmission)
// while the ledger already knows the answer: the gateway asks every org's peer by transaction id and
// answers with what became of the transaction. A gateway process of its own waits 1 ms for commit
// status, so every submit loses its status; only when the peers cannot tell either does it answer 202.
import {
  as,
  call,
  createRequest,
  GatewayReplica,
  openGateway,
  tokenOf,
  uniqueEscrowId,
  validationCodeOnLedger,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';

describe('gateway e2e: a lost commit status', function () {
  this.timeout(120_000);

  describe('when the peers know the outcome', () => {
    const replica = new GatewayReplica(18096, { P2P_GATEWAY_COMMIT_DEADLINE_MS: '1' });
    before(() => replica.start());
    after(() => replica.stop());

    it('answers the create with its committed block, from one transaction, never 202 or 409', async () => {
      const escrowId = uniqueEscrowId('lost', 'e2e');
      const created = await call('POST', '/v1/escrows', createRequest(escrowId), {
        token: await tokenOf('marketa-backend'),
        baseUrl: replica.url,
      });
      expect(created.status, created.text).to.equal(201);
      expect(created.body['blockNumber']).to.match(/^\d+$/);
      const transactionId = String(created.body['transactionId']);

      const session = openGateway('MarketB', 'marketb-backend');
      try {
        expect(await validationCodeOnLedger(session.gateway, transactionId)).to.equal(0);
      } finally {
        session.close();
      }
      const history = await as('oscar', 'GET', `/v1/escrows/${escrowId}/history`);
      expect(history.status, history.text).to.equal(200);
      const entries = history.body['entries'] as { transactionId?: string; txId?: string }[];
      expect(entries).to.have.length(1);
    });
  });
});
