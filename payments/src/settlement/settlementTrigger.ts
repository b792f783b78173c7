// Which escrow events start a settlement: a transition into a terminal state (released, resolved,
// cancelled, refunded, and an escrow ended while its marketplace was suspended). The settlement's own
// record (SettlementRecorded) and later reviews or erasures leave the money as it is.
import { isTerminal, ESCROW_STATES, type EscrowState } from '@p2p-escrow/chaincode';

const moneyNeutralEvents = new Set(['SettlementRecorded', 'ReviewPosted', 'PrivateDetailsErased']);

function isEscrowState(value: unknown): value is EscrowState {
  return typeof value === 'string' && (ESCROW_STATES as readonly string[]).includes(value);
}

/** Whether the relay's message (its JSON: `type`, `data.state`) ends an escrow with money to move. */
export function startsSettlement(eventType: string, message: Readonly<Record<string, unknown>>): boolean {
  if (moneyNeutralEvents.has(eventType)) return false;
  const data = message['data'];
  const state =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['state'] : undefined;
  return isEscrowState(state) && isTerminal(state);
}
