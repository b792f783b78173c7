// The port through which a `hold` reaches the ledger: raiseRiskFlag as Oversight's risk identity.
// Its Fabric adapter is fabricHoldLedger.ts. A flag the escrow already carries counts as raised: the
// ledger refuses it with RISK_FLAG_ALREADY_RAISED, which is how a hold repeated after a crash stays
// one flag.
import type { Severity } from '../rules/ruleSet';

export interface HoldRequest {
  readonly escrowId: string;
  readonly rule: string;
  readonly reasonCode: string;
  readonly severity: Severity;
  /** The escrow's marketplaces: the orgs its endorsement policy names. */
  readonly buyerMarketplace: string;
  readonly sellerMarketplace: string;
}

export type HoldResult =
  | { readonly outcome: 'raised'; readonly transactionId: string }
  | { readonly outcome: 'alreadyRaised' };

/** The ledger refused the flag for good (not a transient failure): its stable code and text. */
export class HoldRefusedError extends Error {
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'HoldRefusedError';
  }
}

export interface HoldLedger {
  /** Raises the flag; throws HoldRefusedError on a refusal, any other error when it may be retried. */
  raiseHold(request: HoldRequest): Promise<HoldResult>;
  close(): void;
}
