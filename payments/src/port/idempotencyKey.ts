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
}

/**
 * `p2p-escrow:<kind>:<sha-256 of [escrowId, payee, kind] as JSON>`: the same movement always gives the
 * same key and two movements never share one (JSON keeps `a:b`+`c` apart from `a`+`b:c`); the hash
 * bounds the length under Stripe's 255 characters whatever the ids are, and the kind stays readable in
 * the provider's request logs. One refund and one payout per (escrow, payee) is what the escrow rules
 * produce (a terminal state splits the funded amount once), so a second, different refund for the same
 * escrow and payee is refused by the provider as an idempotency conflict instead of paid twice.
 */
export function idempotencyKeyOf({ escrowId, payee, kind }: MoneyMovement): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([escrowId, payee, kind]))
    .digest('hex');
  return `p2p-escrow:${kind}:${digest}`;
}
