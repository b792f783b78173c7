// What the consortium page charts: how many blocks each peer, and the mirror's projection, are behind
// the highest peer. A peer that did not answer has no bar (its row says why).

export interface HeightsView {
  readonly peers: readonly { readonly org: string; readonly height: string | null }[];
  readonly mirror: { readonly checkpoint: string | null } | null;
}

export function blocksBehind(status: HeightsView): { label: string; value: number }[] {
  const answered = status.peers.flatMap((peer) =>
    peer.height === null ? [] : [{ org: peer.org, height: BigInt(peer.height) }],
  );
  if (answered.length === 0) return [];
  const tallest = answered.reduce((top, peer) => (peer.height > top ? peer.height : top), 0n);
  const bars = answered.map((peer) => ({ label: `${peer.org} peer`, value: Number(tallest - peer.height) }));
  if (status.mirror === null) return bars;
  // The checkpoint is a block number; a peer's height counts blocks, so the latest block is height - 1.
  const applied = status.mirror.checkpoint === null ? -1n : BigInt(status.mirror.checkpoint);
  const behind = tallest - 1n - applied;
  return [...bars, { label: 'mirror', value: Number(behind < 0n ? 0n : behind) }];
}
