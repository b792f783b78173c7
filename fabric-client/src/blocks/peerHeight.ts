// Reading after an event: a block's event reaches a service through another org's peer, the mirror and
// Kafka, while the service reads through its own org's peer, which may not have committed that block
// yet. Before reading, such a service waits until its peer holds the event's block, polling the peer's
// chain height (qscc GetChainInfo: one cheap call, answered at once when the peer is level).

/** The peer did not commit the block in time: the caller should try again later, not read stale state. */
export class PeerBehindError extends Error {
  readonly code = 'PEER_BEHIND';
  constructor(
    readonly blockNumber: bigint,
    readonly height: bigint,
    timeoutMs: number,
  ) {
    super(
      `the peer holds blocks up to ${String(height - 1n)}, not block ${String(blockNumber)}, after ${String(timeoutMs)} ms`,
    );
    this.name = 'PeerBehindError';
  }
}

export interface PeerHeightWait {
  /** How long to wait for the block before giving up (PeerBehindError). */
  readonly timeoutMs: number;
  /** The pause between two height readings. */
  readonly intervalMs: number;
}

export const DEFAULT_PEER_HEIGHT_WAIT: PeerHeightWait = { timeoutMs: 30_000, intervalMs: 100 };

/**
 * Resolves once `height()` (the peer's chain height: its newest block + 1) shows block `blockNumber`
 * committed; rejects with PeerBehindError when it does not within the timeout.
 */
export async function untilPeerHolds(
  height: () => Promise<bigint>,
  blockNumber: bigint,
  wait: PeerHeightWait = DEFAULT_PEER_HEIGHT_WAIT,
): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const current = await height();
    if (current > blockNumber) return;
    if (Date.now() >= deadline) throw new PeerBehindError(blockNumber, current, wait.timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, wait.intervalMs));
  }
}
