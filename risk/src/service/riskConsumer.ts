// One Kafka message of the escrow topic through the risk service, in one database transaction: the
// checkpoint moves past its offset, and an event the relay signed, of an escrow the auditor's
// projection holds, is assessed and its decision recorded (with a review row or a pending hold). A
// message that is refused (not the relay's, not an escrow event) or names an escrow not projected
// only moves the checkpoint: it is logged and counted, and never holds up its partition.
import { readEscrowEvent, type EventVerifier } from '@p2p-escrow/offchain-db';
import { assess } from '../engine/assess';
import type { Outcome } from '../engine/decide';
import { riskEventOf, type RiskEvent } from '../engine/riskEvent';
import type { RuleSet } from '../rules/ruleSet';
import type { MessagePosition, RiskStore } from '../store/riskStore';

type SignedMessage = Parameters<typeof readEscrowEvent>[0];

export type MessageResult =
  | { readonly kind: 'decided'; readonly event: RiskEvent; readonly outcome: Outcome }
  | { readonly kind: 'refused'; readonly code: string; readonly detail: string }
  | { readonly kind: 'unprojected'; readonly escrowId: string }
  | { readonly kind: 'duplicate' };

function dataOf(payload: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const data = payload['data'];
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}

export class RiskConsumer {
  constructor(
    private readonly store: RiskStore,
    private readonly verifier: EventVerifier,
    private readonly rules: () => RuleSet,
  ) {}

  async handle(message: SignedMessage, position: MessagePosition): Promise<MessageResult> {
    const reading = readEscrowEvent(message, this.verifier);
    let result: MessageResult = { kind: 'duplicate' };
    const applied = await this.store.applyMessage(position, async (tx) => {
      if (reading.kind === 'refused') {
        result = reading;
        return;
      }
      const { eventId, eventType, escrowId, payload } = reading.event;
      const parties = await tx.partiesOf(escrowId);
      if (parties === undefined) {
        result = { kind: 'unprojected', escrowId };
        return;
      }
      const event = riskEventOf({ eventId, eventType, escrowId }, dataOf(payload), parties);
      const outcome = await assess(this.rules(), event, tx);
      await tx.record(event, outcome);
      result = { kind: 'decided', event, outcome };
    });
    return applied === 'duplicate' ? { kind: 'duplicate' } : result;
  }
}
