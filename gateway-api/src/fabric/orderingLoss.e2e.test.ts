// A write sent while the ordering service loses its Raft leader. Until the survivors elect another
// (a 5–10 s election timeout here), every orderer either refuses the transaction or takes it and
// forwards it to the dead leader, where it is lost although "taken" was answered. No orderer will
// ever deliver it, so a 202 "pending" for it would stay pending for good. The gateway offers the same
// signed transaction again (its own id, so at most one copy can commit VALID) until it commits.
import {
  call,
  createRequest,
  ensureDaemons,
  liveRunner,
  openGateway,
  raftLeader,
  tokenOf,
  uniqueEscrowId,
  validationCodeOnLedger,
  type ApiResponse,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';

describe('gateway e2e: the Raft leader killed under a write', function () {
  this.timeout(180_000);

  it('answers a create sent right after the kill with 201, its one transaction valid on the peers', async () => {
    const runner = liveRunner();
    const leader = await raftLeader();
    if (leader === undefined) throw new Error('no orderer reports itself Raft leader');
    const token = await tokenOf('marketa-backend');
    const escrowId = uniqueEscrowId('leader-loss', 'e2e');
    let created: ApiResponse;
    try {
      await runner.kill(leader);
      created = await call('POST', '/v1/escrows', createRequest(escrowId), { token });
    } finally {
      await ensureDaemons([leader], runner);
    }
    expect(created.status, created.text).to.equal(201);
    const transactionId = String(created.body['transactionId']);
    const session = openGateway('MarketB', 'marketb-backend');
    try {
      expect(await validationCodeOnLedger(session.gateway, transactionId)).to.equal(0);
    } finally {
      session.close();
    }
    const read = await call('GET', `/v1/escrows/${escrowId}/history`, undefined, { token });
    expect(read.status, read.text).to.equal(200);
    expect((read.body['entries'] as { txId: string }[]).map((entry) => entry.txId)).to.deep.equal([
      transactionId,
    ]);
  });
});
