// The parts of an escrow that never change once it is committed: its id and its two parties (each
// with their marketplace). They name the endorsing organizations and decide who may see the escrow,
// so a transition needs them, but not a chaincode evaluation to get them again: they are kept from
// the create this gateway committed or the first read of the escrow, in a bounded map (least
// recently used out first).
import type { Escrow } from '@p2p-escrow/chaincode';

/** What access and endorsement depend on: the escrow's id and its two parties. */
export type EscrowParties = Pick<Escrow, 'escrowId' | 'buyer' | 'seller'>;

export function partiesOf(escrow: EscrowParties): EscrowParties {
  const { escrowId, buyer, seller } = escrow;
  return {
    escrowId,
    buyer: { marketplace: buyer.marketplace, userId: buyer.userId },
    seller: { marketplace: seller.marketplace, userId: seller.userId },
  };
}

export class EscrowPartiesCache {
  readonly #entries = new Map<string, EscrowParties>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(escrowId: string): EscrowParties | undefined {
    const parties = this.#entries.get(escrowId);
    if (parties !== undefined) {
      // Re-insert to mark as most recently used.
      this.#entries.delete(escrowId);
      this.#entries.set(escrowId, parties);
    }
    return parties;
  }

  /** Keeps the parties of a committed escrow record (a copy: the record may be handed on). */
  remember(escrow: EscrowParties): void {
    this.#entries.delete(escrow.escrowId);
    this.#entries.set(escrow.escrowId, partiesOf(escrow));
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
