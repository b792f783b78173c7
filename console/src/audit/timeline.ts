// An escrow's timeline for the auditor: every transition of its history (GET …/history), joined by
// transaction id with what the audit proof carries for it (block, the peer's validation code, the
// endorsing orgs from its envelope).

export interface HistoryEntryView {
  readonly txId: string;
  readonly blockNumber: string;
  readonly timestamp: string;
  readonly isDelete: boolean;
  readonly escrow: { readonly state: string } | null;
}

export interface ProofTransitionView {
  readonly txId: string;
  readonly blockNumber: string;
  readonly validationCode: number;
}

/** How far the console can vouch for a row: the proof holds the transaction and its peer marked it valid. */
export type ProofMark = 'in-proof-valid' | 'in-proof-invalid' | 'not-in-proof';

export interface TimelineRow {
  readonly txId: string;
  readonly blockNumber: string;
  readonly timestamp: string;
  readonly state: string;
  readonly endorsingOrgs: readonly string[];
  readonly mark: ProofMark;
}

/** Fabric's TxValidationCode VALID. */
const VALID = 0;

export function timelineOf(
  history: readonly HistoryEntryView[],
  transitions: readonly ProofTransitionView[],
  endorsers: ReadonlyMap<string, readonly string[]>,
): TimelineRow[] {
  const inProof = new Map(transitions.map((transition) => [transition.txId, transition]));
  return history.map((entry) => {
    const proven = inProof.get(entry.txId);
    const mark: ProofMark =
      proven === undefined || proven.blockNumber !== entry.blockNumber
        ? 'not-in-proof'
        : proven.validationCode === VALID
          ? 'in-proof-valid'
          : 'in-proof-invalid';
    return {
      txId: entry.txId,
      blockNumber: entry.blockNumber,
      timestamp: entry.timestamp,
      state: entry.isDelete || entry.escrow === null ? 'DELETED' : entry.escrow.state,
      endorsingOrgs: endorsers.get(entry.txId) ?? [],
      mark,
    };
  });
}

/** How many escrows are in each state, for the volume chart; states in the order given. */
export function countByState(
  escrows: readonly { readonly state: string }[],
  states: readonly string[],
): { state: string; count: number }[] {
  return states.map((state) => ({ state, count: escrows.filter((escrow) => escrow.state === state).length }));
}
