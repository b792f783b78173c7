// The idempotency key of every mutating provider call, derived from what the call is for, so a
// settlement worker that crashes and starts again sends the same key and the provider pays once.
import { createHash } from 'node:crypto';

/** What a provider call does for an escrow; one call of each kind per (escrow, payee). */
export type MoneyMovementKind = 'payment' | 'refund' | 'payout' | 'statement-transfer';

export interface MoneyMovement {
  /** The escrow id, or the statement id for a transfer between marketplaces. */
  readonly escrowId: string;
  /** Who receives the money: the buyer (refund), the seller's connected account (payout), etc. */
  readonly payee: string;
  readonly kind: MoneyMovementKind;
  /**
   * The item whose own refund or payout this is, for an escrow settled item by item: each ended
   * item moves its money once, under a key of its own.
   */
  readonly item?: number;
}

/**
 * `p2p-escrow:<kind>:<sha-256 of [escrowId, payee, kind] as JSON>`: the same movement always gives the
 * same key and two movements never share one (JSON keeps `a:b`+`c` apart from `a`+`b:c`); the hash
 * bounds the length under Stripe's 255 characters whatever the ids are, and the kind stays readable in
 * the provider's request logs. One refund and one payout per (escrow, payee) is what the escrow rules
 * produce (a terminal state splits the funded amount once), so a second, different refund for the same
 * escrow and payee is refused by the provider as an idempotency conflict instead of paid twice. An
 * escrow moving per item splits once per item, so its movements add the item to what is hashed.
 */
export function idempotencyKeyOf({ escrowId, payee, kind, item }: MoneyMovement): string {
  // Without an item, the escrow-level key exactly as before items were settled one by one.
  const movement = item === undefined ? [escrowId, payee, kind] : [escrowId, payee, kind, item];
  const digest = createHash('sha256').update(JSON.stringify(movement)).digest('hex');
  return `p2p-escrow:${kind}:${digest}`;
}
