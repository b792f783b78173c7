// What a transition costs the peers, counted by the gateway itself (gateway_fabric_peer_calls_total
// on MarketA's /metrics): on an escrow this gateway created, the parties come from its cache (no
// evaluation) and the other orgs' peers are followed through their block streams (one commit-status
// request, to the caller's own peer). The visibility check still holds with the cache warm.
import { as, createRequest, gatewayUrlOf, localFetch, uniqueEscrowId } from '@p2p-escrow/testkit';
import { expect } from 'chai';

type Counts = Record<string, number>;

/** `kind` or `kind/transaction` → count, from MarketA's gateway. */
async function peerCalls(): Promise<Counts> {
  const text = await (await localFetch(`${gatewayUrlOf('MarketA')}/metrics`)).text();
  const counts: Counts = {};
  for (const line of text.split('\n')) {
    const match = /^gateway_fabric_peer_calls_total\{kind="(\w+)",transaction="([^"]+)"\} (\S+)$/.exec(line);
    if (match === null) continue;
    const [, kind = '', transaction = '', value = '0'] = match;
    counts[kind] = (counts[kind] ?? 0) + Number(value);
    counts[`${kind}/${transaction}`] = Number(value);
  }
  return counts;
}

function delta(before: Counts, after: Counts, key: string): number {
  return (after[key] ?? 0) - (before[key] ?? 0);
}

describe('gateway e2e: what a transition costs the peers', function () {
  this.timeout(60_000);
  const escrowId = uniqueEscrowId('cost', 'e2e');
  const route = `/v1/escrows/${escrowId}`;

  before(async () => {
    const created = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId));
    expect(created.status, created.text).to.equal(201);
  });

  it('still refuses a non-party of the escrow this gateway created, without asking the peers', async () => {
    const before = await peerCalls();
    const refused = await as('amir', 'POST', `${route}/cancel`, undefined);
    expect(refused.status, refused.text).to.equal(403);
    expect(refused.body['code']).to.equal('ESCROW_ACCESS_DENIED');
    const after = await peerCalls();
    expect(delta(before, after, 'evaluate'), 'evaluations').to.equal(0);
    expect(delta(before, after, 'endorse'), 'endorsements').to.equal(0);
  });

  it('cancels as the buyer with no evaluation and one commit-status request', async () => {
    const before = await peerCalls();
    const cancelled = await as('alice', 'POST', `${route}/cancel`, undefined);
    expect(cancelled.status, cancelled.text).to.equal(200);
    expect((cancelled.body['escrow'] as Record<string, unknown>)['state']).to.equal('CANCELLED');
    const after = await peerCalls();
    expect(delta(before, after, 'evaluate'), 'evaluations').to.equal(0);
    expect(delta(before, after, 'endorse/cancelEscrow'), 'endorsements').to.equal(1);
    expect(delta(before, after, 'commit_status'), 'commit-status requests').to.equal(1);
  });
});
