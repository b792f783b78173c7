// The consortium's read-only views through Oversight's gateway: the auditor reads every org's peer's
// height, each orderer's TLS handshake, the committed chaincode definition and the mirror's lag (in
// blocks, and per minute of the last half hour); the trust anchors are the channel members' CA
// certificates (the same as each org's MSP folder) and verify a live proof; a marketplace backend and
// a buyer may not read the consortium's status.
import {
  anyTwoPeersOf,
  certificateFromPem,
  organizationMaterial,
  verifyProof,
  type PolicyRule,
} from '@p2p-escrow/proof-verifier';
import { as, createdByMarketA, createRequest, localProofTrust, uniqueEscrowId } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import type { OrdererReach } from '../../fabric/ordererReachability';
import { reachOrderer } from '../../fabric/ordererReachability';

interface Member {
  mspId: string;
  kind: 'peer' | 'orderer';
  rootCertificates: string[];
  intermediateCertificates: string[];
}

interface Bucket {
  start: string;
  transitions: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

describe('gateway e2e: the consortium views', function () {
  this.timeout(120_000);

  it("gives the auditor every org's peer height, the chaincode definition and the mirror's lag", async () => {
    const response = await as('oscar', 'GET', '/v1/consortium/status');
    expect(response.status, response.text).to.equal(200);
    const peers = response.body['peers'] as { org: string; height: string | null; detail: string }[];
    expect(peers.map((peer) => peer.org).sort()).to.deep.equal(['MarketA', 'MarketB', 'Oversight']);
    for (const peer of peers) {
      expect(peer.detail, peer.org).to.equal('ok');
      expect(peer.height, peer.org).to.match(/^[1-9][0-9]*$/);
    }
    const chaincode = response.body['chaincode'] as Record<string, unknown>;
    expect(chaincode).to.include({
      name: 'escrow',
      endorsementPolicy: 'OutOf(2, MarketAMSP.peer, MarketBMSP.peer, OversightMSP.peer)',
    });
    expect(chaincode['sequence']).to.be.a('number').greaterThanOrEqual(1);
    const mirror = response.body['mirror'] as { checkpoint: string; lagBlocks: number };
    const tallest = peers.reduce(
      (top, peer) => (BigInt(peer.height ?? '0') > top ? BigInt(peer.height ?? '0') : top),
      0n,
    );
    expect(mirror.lagBlocks).to.equal(Number(tallest - 1n - BigInt(mirror.checkpoint)));
  });

  it("gives the mirror's lag per minute of the last half hour, a create just committed in the latest minute", async () => {
    await createdByMarketA('lag');
    const committedAt = Date.now();
    // The create's row is written by Oversight's mirror once its peer delivers the block: bounded wait.
    const deadline = Date.now() + 30_000;
    let history: { minutes: number; bucketSeconds: number; buckets: Bucket[] };
    for (;;) {
      const response = await as('oscar', 'GET', '/v1/consortium/status');
      expect(response.status, response.text).to.equal(200);
      history = response.body['mirrorLagHistory'] as typeof history;
      const latest = history.buckets.at(-1);
      // Its row's minute: written after the create was answered (or just before, by a faster peer).
      if (latest !== undefined && Date.parse(latest.start) > committedAt - 62_000) break;
      if (Date.now() > deadline) expect.fail(`no recent minute in ${JSON.stringify(history)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(history).to.include({ minutes: 30, bucketSeconds: 60 });
    const starts = history.buckets.map((bucket) => Date.parse(bucket.start));
    expect(starts).to.deep.equal([...starts].sort((a, b) => a - b));
    for (const bucket of history.buckets) {
      expect(Date.parse(bucket.start) % 60_000, bucket.start).to.equal(0);
      expect(Date.parse(bucket.start), bucket.start).to.be.greaterThan(committedAt - 32 * 60_000);
      expect(bucket.transitions).to.be.at.least(1);
      expect(bucket.p50Ms).to.be.at.most(bucket.p95Ms);
      expect(bucket.p95Ms).to.be.at.most(bucket.maxMs);
    }
  });

  it("tells whether each orderer the configuration names answers a TLS handshake, and not with another org's CA", async () => {
    const response = await as('oscar', 'GET', '/v1/consortium/status');
    expect(response.status, response.text).to.equal(200);
    const orderers = response.body['orderers'] as OrdererReach[];
    expect(orderers.map((orderer) => orderer.mspId)).to.deep.equal([
      'OrdererMSP',
      'OrdererMSP',
      'OrdererMSP',
    ]);
    for (const orderer of orderers) {
      expect(orderer.detail, orderer.address).to.equal('ok');
      expect(orderer.handshakeMs, orderer.address).to.be.a('number').at.least(0);
    }
    // The probe verifies the orderer's certificate: MarketA's CA did not issue it.
    const anchors = await as('oscar', 'GET', '/v1/consortium/trust-anchors');
    const marketA = (anchors.body['members'] as Member[]).find((member) => member.mspId === 'MarketAMSP');
    const wrongCa = await reachOrderer({
      mspId: 'OrdererMSP',
      address: orderers[0]!.address,
      tlsRootCertificates: marketA!.rootCertificates,
    });
    expect(wrongCa.handshakeMs).to.equal(null);
    expect(wrongCa.detail).to.match(/^no TLS handshake within/);
  });

  it('may not be read by a marketplace backend, a buyer or an arbiter', async () => {
    for (const caller of ['marketa-backend', 'alice', 'olivia'] as const) {
      const response = await as(caller, 'GET', '/v1/consortium/status');
      expect(response.status, `${caller}: ${response.text}`).to.equal(403);
      expect(response.body['code'], caller).to.equal('ROLE_REQUIRED');
    }
  });

  it("serves the channel members' CA certificates as each org's MSP holds them, and they verify a live proof", async () => {
    const escrowId = uniqueEscrowId('anchors', 'e2e');
    const created = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId));
    expect(created.status, created.text).to.equal(201);
    expect((await as('bea', 'POST', `/v1/escrows/${escrowId}/accept`, {})).status).to.equal(200);

    // Public material: a marketplace backend reads it as well as the auditor.
    const forBackend = await as('marketa-backend', 'GET', '/v1/consortium/trust-anchors');
    expect(forBackend.status, forBackend.text).to.equal(200);
    const anchors = await as('oscar', 'GET', '/v1/consortium/trust-anchors');
    expect(anchors.status, anchors.text).to.equal(200);
    const members = anchors.body['members'] as Member[];
    expect(members.map((member) => `${member.kind}:${member.mspId}`).sort()).to.deep.equal([
      'orderer:OrdererMSP',
      'peer:MarketAMSP',
      'peer:MarketBMSP',
      'peer:OversightMSP',
    ]);
    const local = localProofTrust();
    for (const member of members)
      expect(
        member.rootCertificates.map((pem) => certificateFromPem(pem).fingerprint256),
        member.mspId,
      ).to.deep.equal(local.organizations.get(member.mspId)?.caCertificates.map((ca) => ca.fingerprint256));
    const policy = anchors.body['chaincodePolicy'] as PolicyRule;
    expect(policy).to.deep.equal(anyTwoPeersOf(['MarketAMSP', 'MarketBMSP', 'OversightMSP']));

    const bundle = await as('oscar', 'GET', `/v1/escrows/${escrowId}/proof`);
    expect(bundle.status, bundle.text).to.equal(200);
    const proof = verifyProof(bundle.body, {
      organizations: new Map(
        members.map((member) => [
          member.mspId,
          organizationMaterial(member.rootCertificates, member.intermediateCertificates),
        ]),
      ),
      ordererMspIds: members.filter((member) => member.kind === 'orderer').map((member) => member.mspId),
      chaincodePolicy: policy,
    });
    expect(
      proof.transitions.map((transition) => (transition.record as { state: string }).state),
    ).to.deep.equal(['PROPOSED', 'CREATED']);
  });
});
