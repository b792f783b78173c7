// What the risk service reports to the SOC: a flag raised on an escrow, and a hold on its money. Two
// small functions over the emitter, so the risk service never builds the envelope itself.
import type {
  SecurityActor,
  SecurityEventDetail,
  SecurityEventEmitter,
  SecuritySeverity,
} from '@p2p-escrow/fabric-client';

export interface RiskEventContext {
  /** The service that decided, e.g. `risk`. */
  readonly source: string;
  /** The Fabric transaction that put the flag or hold on the ledger, once there is one. */
  readonly txId?: string;
  /** The risk identity that acted (its MSP ID and org). */
  readonly actor?: SecurityActor;
  /** Raises (or lowers) the type's default severity, e.g. to the deciding rule's. */
  readonly severity?: SecuritySeverity;
}

export function recordRiskFlagRaised(
  emitter: SecurityEventEmitter,
  context: RiskEventContext,
  detail: SecurityEventDetail<'risk.flag_raised'>,
): void {
  emitter.record({ type: 'risk.flag_raised', ...context, detail });
}

export function recordRiskHold(
  emitter: SecurityEventEmitter,
  context: RiskEventContext,
  detail: SecurityEventDetail<'risk.hold'>,
): void {
  emitter.record({ type: 'risk.hold', ...context, detail });
}
