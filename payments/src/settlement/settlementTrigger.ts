// Which escrow events start a settlement: a transition into a terminal state (released, resolved,
// cancelled, refunded, and an escrow ended while its marketplace was suspended), and on an escrow
// moving per item each transition that can end an item (its money moves then, the escrow still open)
// or clear a hold on an ended item's payout; the plan finds what, if anything, is owed. The
// settlement's own record (SettlementRecorded) and later reviews or erasures leave the money as it is.
import { isTerminal, ESCROW_STATES, type EscrowState } from '@p2p-escrow/chaincode';

const moneyNeutralEvents = new Set(['SettlementRecorded', 'ReviewPosted', 'PrivateDetailsErased']);

/** Events that may end an item (itemLifecycle.ts), or release an ended item's held payout. */
const itemSettlingEvents = new Set<string>([
  'ItemReleased',
  'ItemResolved',
  'ReturnConfirmed',
  'ReturnExpired',
  'ItemOfferAccepted',
  'ItemDeliveryOverdue',
  'RiskFlagCleared',
]);

function isEscrowState(value: unknown): value is EscrowState {
  return typeof value === 'string' && (ESCROW_STATES as readonly string[]).includes(value);
}

/** Whether the relay's message (its JSON: `type`, `data.state`) ends an escrow with money to move. */
export function startsSettlement(eventType: string, message: Readonly<Record<string, unknown>>): boolean {
  if (moneyNeutralEvents.has(eventType)) return false;
  if (itemSettlingEvents.has(eventType)) return true;
  const data = message['data'];
  const state =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['state'] : undefined;
  return isEscrowState(state) && isTerminal(state);
}
