// How long each kind of Fabric call may take before it is abandoned: one named set for every client.

export interface CallDeadlines {
  /** A query evaluated on one peer. */
  readonly evaluateMs: number;
  /** Collecting endorsements from the peers the policy needs. */
  readonly endorseMs: number;
  /** Handing the endorsed transaction to the orderers. */
  readonly submitMs: number;
  /** Waiting for the peer to report the transaction's commit status. */
  readonly commitStatusMs: number;
}

/** What services and tools use unless they are configured otherwise. */
export const DEFAULT_CALL_DEADLINES: CallDeadlines = {
  evaluateMs: 10_000,
  endorseMs: 30_000,
  submitMs: 10_000,
  commitStatusMs: 60_000,
};
