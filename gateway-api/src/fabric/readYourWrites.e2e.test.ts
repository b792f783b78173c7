// Read-your-writes across organizations: a write is answered only once every org's peer has committed
// it. MarketA's peer is paused (SIGSTOP) while a MarketB-only escrow is created — it takes no part in
// that endorsement — so the 201 must wait for its resume, and right after it MarketA's peer knows the
// transaction.
import {
  as,
  createRequest,
  isRunning,
  loadRecord,
  openGateway,
  tokenOf,
  uniqueEscrowId,
  validationCodeOnLedger,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';

const pauseMs = 1_500;

describe('gateway e2e: read-your-writes across organizations', function () {
  this.timeout(60_000);

  it('answers a create only after the paused, non-endorsing peer of MarketA has committed it', async () => {
    const record = loadRecord('peer-marketa');
    expect(record !== undefined && isRunning(record), 'peer-marketa runs').to.equal(true);
    const pid = (record as { pid: number }).pid;
    const escrowId = uniqueEscrowId('ryw', 'e2e');
    const request = createRequest(escrowId, {
      buyer: { marketplace: 'MarketB', userId: 'bob' },
      seller: { marketplace: 'MarketB', userId: 'bea' },
    });
    await tokenOf('marketb-backend');

    let resumedAt = 0;
    process.kill(pid, 'SIGSTOP');
    const resume = setTimeout(() => {
      process.kill(pid, 'SIGCONT');
      resumedAt = performance.now();
    }, pauseMs);
    let created;
    let answeredAt;
    try {
      created = await as('marketb-backend', 'POST', '/v1/escrows', request);
      answeredAt = performance.now();
    } finally {
      clearTimeout(resume);
      process.kill(pid, 'SIGCONT');
    }
    expect(created.status, created.text).to.equal(201);
    expect(resumedAt, 'the answer came while MarketA’s peer was paused').to.be.greaterThan(0);
    expect(answeredAt).to.be.at.least(resumedAt);

    const session = openGateway('MarketA', 'marketa-backend');
    try {
      const transactionId = String(created.body['transactionId']);
      expect(await validationCodeOnLedger(session.gateway, transactionId)).to.equal(0);
    } finally {
      session.close();
    }
  });
});
