// What the risk service tells the SOC (SECURITY-EVENTS.md): `risk.flag_raised` for every flag it
// raises, and `risk.hold` for every hold, on the service's security emitter (its JSON-lines file and
// the security-events topic). A `review` flag is raised when its decision is committed, so its
// transaction id is that of the escrow event the rule matched (a review writes nothing on the
// ledger); a `hold` is raised once the ledger has it, with the raiseRiskFlag transaction's id. A
// shadow rule's hit is not a flag: it only records what the rule would have done, and is never
// reported here.
import type { SecurityActor, SecurityEventEmitter } from '@p2p-escrow/fabric-client';
import { recordRiskFlagRaised, recordRiskHold } from '@p2p-escrow/offchain-db';
import type { Outcome } from '../engine/decide';
import { minorUnitsOf, type RiskEvent } from '../engine/riskEvent';
import type { PendingHold } from '../store/riskStore';

export interface RiskSecurityContext {
  /** The service's name in every event, e.g. `risk`. */
  readonly source: string;
  /** The risk identity the service acts as on the ledger. */
  readonly actor: SecurityActor;
}

/** The Fabric transaction of an escrow event, from its id `<txId>:<eventIndex>`. */
export function transactionOfEvent(eventId: string): string {
  return eventId.split(':')[0] ?? eventId;
}

export class RiskSecurityEvents {
  constructor(
    private readonly emitter: SecurityEventEmitter,
    private readonly context: RiskSecurityContext,
  ) {}

  /** A decision just committed: its `review` is a flag raised now; holds wait for the ledger. */
  decided(event: RiskEvent, outcome: Outcome): void {
    const { rule, action } = outcome.decision;
    if (rule === undefined || rule.shadow || action !== 'review') return;
    recordRiskFlagRaised(
      this.emitter,
      { ...this.context, txId: transactionOfEvent(event.eventId), severity: rule.severity },
      {
        escrowId: event.escrowId,
        rule: rule.name,
        reasonCode: rule.reasonCode,
        amount: minorUnitsOf(event.amount),
      },
    );
  }

  /**
   * The ledger has the hold's flag: raised now (`transactionId`), or found already raised after a
   * restart, when the events of its first submission may have been lost (no transaction id then).
   */
  holdRaised(hold: PendingHold, transactionId: string | undefined): void {
    const context = { ...this.context, ...(transactionId === undefined ? {} : { txId: transactionId }) };
    recordRiskFlagRaised(
      this.emitter,
      { ...context, severity: hold.severity },
      {
        escrowId: hold.escrowId,
        rule: hold.rule,
        reasonCode: hold.reasonCode,
        ...(hold.amount === undefined ? {} : { amount: hold.amount }),
      },
    );
    // Without an amount and currency (a hold queued before they were kept) the event would be
    // malformed; the emitter counts it as dropped (`invalid`) rather than inventing them.
    recordRiskHold(this.emitter, context, {
      escrowId: hold.escrowId,
      rule: hold.rule,
      reasonCode: hold.reasonCode,
      amount: hold.amount ?? '',
      currency: hold.currency ?? '',
    });
  }
}
