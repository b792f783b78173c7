import { expect } from 'chai';
import { PeerBehindError, untilPeerHolds } from './peerHeight';

/** A peer whose height rises by one on each reading after the first `flat` readings. */
function risingPeer(start: bigint, flat = 0) {
  let readings = 0;
  return {
    get readings() {
      return readings;
    },
    height: () => {
      readings += 1;
      return Promise.resolve(start + BigInt(Math.max(0, readings - 1 - flat)));
    },
  };
}

describe('untilPeerHolds: reading after an event waits for the event’s block on the own peer', () => {
  it('reads the height once when the peer already holds the block', async () => {
    const peer = risingPeer(11n);
    await untilPeerHolds(peer.height, 10n, { timeoutMs: 1_000, intervalMs: 1 });
    expect(peer.readings).to.equal(1);
  });

  it('waits while the peer is behind and resolves once it committed the block', async () => {
    const peer = risingPeer(8n, 2);
    await untilPeerHolds(peer.height, 10n, { timeoutMs: 5_000, intervalMs: 1 });
    // 8, 8, 8, 9, 10, 11: block 10 is held once the height is 11.
    expect(peer.readings).to.equal(6);
  });

  it('gives up past its timeout with PEER_BEHIND, naming the block and what the peer holds', async () => {
    const stuck = () => Promise.resolve(5n);
    const error: unknown = await untilPeerHolds(stuck, 9n, { timeoutMs: 20, intervalMs: 5 }).then(
      () => undefined,
      (rejected: unknown) => rejected,
    );
    expect(error).to.be.instanceOf(PeerBehindError);
    expect(error).to.include({ code: 'PEER_BEHIND', blockNumber: 9n, height: 5n });
    expect((error as Error).message).to.contain('up to 4, not block 9');
  });
});
