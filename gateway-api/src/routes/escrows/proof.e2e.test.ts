// An escrow's audit proof through the gateway, verified with nothing but the orgs' public MSP
// material: a ten-transition escrow (proposal, acceptance, a ship-by extension, funding, shipment, a
// dispute, and settlement offers: made, declined, made, countered) fetched by the auditor, checked offline, its latest
// block compared with two orgs' peers, and refused once any byte of it is changed.
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import {
  compareLatestBlock,
  ProofError,
  qsccBlockSource,
  verifyProof,
  type ProofBundle,
} from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import {
  as,
  captureProof,
  createRequest,
  localProofTrust,
  openGateway,
  payThroughProvider,
  uniqueEscrowId,
} from '@p2p-escrow/testkit';

describe('gateway e2e: audit proof of an escrow', function () {
  this.timeout(240_000);
  const escrowId = uniqueEscrowId('proof', 'e2e');
  const route = `/v1/escrows/${escrowId}`;
  let bundle: ProofBundle;

  async function step(caller: Parameters<typeof as>[0], path: string, body: unknown, state: string) {
    const response = await as(caller, 'POST', `${route}/${path}`, body);
    expect(response.status, `${path}: ${response.text}`).to.equal(200);
    expect((response.body['escrow'] as { state: string }).state, path).to.equal(state);
  }

  before(async () => {
    const created = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId));
    expect(created.status, created.text).to.equal(201);
    await step('bea', 'accept', {}, 'CREATED');
    const shipBy = (created.body['escrow'] as { shipBy: string }).shipBy;
    const later = new Date(Date.parse(shipBy) + 3_600_000).toISOString();
    await step('alice', 'ship-by', { shipBy: later }, 'CREATED');
    const paid = await payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery, ['bea']);
    expect(paid.delivery.status, paid.delivery.text).to.equal(200);
    await step('bea', 'ship', { carrier: 'DHL', trackingRef: 'JD0042' }, 'SHIPPED');
    await step(
      'alice',
      'dispute',
      { reason: 'arrived scratched', evidenceHashes: ['c'.repeat(64)] },
      'DISPUTED',
    );
    await step('alice', 'offers', { buyerRefund: '6000' }, 'DISPUTED');
    await step('bea', 'offers/decline', {}, 'DISPUTED');
    await step('bea', 'offers', { buyerRefund: '3000' }, 'DISPUTED');
    // A counter-offer, not an acceptance: a resolved escrow would gain the settlement worker's
    // records as further transitions, at a time of its own.
    await step('alice', 'offers', { buyerRefund: '4500' }, 'DISPUTED');
  });

  it('gives the auditor a proof of all ten transitions that verifies against public MSP material alone', async () => {
    const response = await as('oscar', 'GET', `${route}/proof`);
    expect(response.status, response.text).to.equal(200);
    bundle = response.body as unknown as ProofBundle;
    captureProof('ten-transitions', bundle);
    const started = performance.now();
    const proof = verifyProof(bundle, localProofTrust());
    const elapsedMs = performance.now() - started;
    console.log(
      `      verified a ${String(proof.transitions.length)}-transition proof in ${elapsedMs.toFixed(1)} ms`,
    );
    const states = proof.transitions.map((transition) => (transition.record as { state: string }).state);
    expect(states).to.deep.equal([
      'PROPOSED',
      'CREATED',
      'CREATED',
      'FUNDED',
      'SHIPPED',
      'DISPUTED',
      'DISPUTED',
      'DISPUTED',
      'DISPUTED',
      'DISPUTED',
    ]);
    // Created under the definition's policy, then the key's own: the trade's orgs, widened by the dispute.
    expect(proof.transitions[0]?.policy).to.match(/^OutOf\(2, /);
    expect(proof.transitions[1]?.policy).to.equal('AND(MarketAMSP.member, MarketBMSP.member)');
    expect(proof.transitions[9]?.policy).to.match(
      /^OR\(AND\(MarketAMSP\.member, MarketBMSP\.member\), AND\(OversightMSP/,
    );
    const history = await as('oscar', 'GET', `${route}/history`);
    expect(proof.transitions.map((transition) => transition.txId)).to.deep.equal(
      (history.body['entries'] as { txId: string }[]).map((entry) => entry.txId),
    );
  });

  it("finds the proof's latest block hash on MarketA's and MarketB's peers", async () => {
    const proof = verifyProof(bundle, localProofTrust());
    const sessions = [openGateway('MarketA', 'marketa-backend'), openGateway('MarketB', 'marketb-backend')];
    try {
      const reports = await compareLatestBlock(
        proof.latestBlock,
        sessions.map((session, index) => ({
          name: index === 0 ? 'MarketA' : 'MarketB',
          source: qsccBlockSource(session.gateway.getNetwork(proof.channel)),
        })),
      );
      expect(reports.map((report) => report.hash)).to.deep.equal([
        proof.latestBlock.hash,
        proof.latestBlock.hash,
      ]);
    } finally {
      for (const session of sessions) session.close();
    }
  });

  it('refuses the proof once a transition claims another record', () => {
    const tampered = structuredClone(bundle);
    const last = tampered.transitions[9];
    if (last === undefined) expect.fail('ten transitions');
    last.record = (last.record ?? '').replace('"DISPUTED"', '"RESOLVED"');
    expect(() => verifyProof(tampered, localProofTrust()))
      .to.throw(ProofError)
      .with.property('code', 'PROOF_STATE_MISMATCH');
  });

  it('lets a party read its own escrow’s proof and refuses a user who is not a party', async () => {
    expect((await as('alice', 'GET', `${route}/proof`)).status).to.equal(200);
    const refused = await as('amir', 'GET', `${route}/proof`);
    expect([refused.status, refused.body['code']]).to.deep.equal([403, 'ESCROW_ACCESS_DENIED']);
  });
});
