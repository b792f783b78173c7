// Each escrow's events are numbered 1, 2, 3, ... in ledger order (block, transaction, event), so a
// partner can order what it receives and see a gap. The numbers follow from ledger order alone: a
// rebuild from block 0 gives every event the number it had.
import { eventIdOf, type TransitionEffect } from './blockEffects';

type Numbered = Pick<TransitionEffect, 'escrowId' | 'txId' | 'txIndex' | 'eventIndex'>;

/**
 * The number of each of one block's transitions, by event id (`eventIdOf`), given each escrow's last
 * number before the block (absent: the escrow has none yet).
 */
export function sequenceTransitions(
  transitions: readonly Numbered[],
  lastBefore: ReadonlyMap<string, number>,
): Map<string, number> {
  const ordered = [...transitions].sort((a, b) => a.txIndex - b.txIndex || a.eventIndex - b.eventIndex);
  const last = new Map(lastBefore);
  const numbers = new Map<string, number>();
  for (const transition of ordered) {
    const next = (last.get(transition.escrowId) ?? 0) + 1;
    last.set(transition.escrowId, next);
    numbers.set(eventIdOf(transition.txId, transition.eventIndex), next);
  }
  return numbers;
}
