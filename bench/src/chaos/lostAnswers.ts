// The requests the gateway answered 2xx whose transaction the checker cannot find where it should be:
// in the escrow's ledger history, or as the step's one event in the projection. Pure, so the verdict
// and the report's diagnosis agree on which requests they are.
import { acknowledges, LIFECYCLE, type AnsweredStep, type LoadedEscrow } from './chaosLoad';

/** The ledger's history of an escrow: the transaction ids that wrote its record, in order. */
export type LedgerHistory = ReadonlyMap<string, readonly string[]>;

export interface TransitionRow {
  readonly escrowId: string;
  readonly eventId: string;
  readonly eventName: string;
  readonly txId: string;
}

/** One answered request the ledger or the projection does not show as committed once. */
export interface LostAnswer {
  readonly escrowId: string;
  readonly step: AnsweredStep['step'];
  readonly status: number;
  readonly key: string;
  /** The transaction id the gateway answered with (none for the provider's funding event). */
  readonly transactionId: string | undefined;
  /** For a 202: what the gateway's transaction status said in the end. */
  readonly confirmed?: AnsweredStep['confirmed'];
  /** How often that id is in the escrow's ledger history. */
  readonly onLedger: number;
  /** The step's events in the projection, and the transaction ids they came from. */
  readonly projected: readonly string[];
  /** Why it counts as lost, in a few words. */
  readonly reason: string;
}

function eventOf(step: AnsweredStep['step']): string {
  return LIFECYCLE.find((entry) => entry.step === step)?.event ?? '';
}

/**
 * Each acknowledged step (a 200/201, or a 202 the gateway later reported committed) whose transaction
 * is not once in its ledger history and once, as that transaction, in the projection. A 202 never
 * confirmed acknowledged nothing: the load tried its step again, and the duplicate check still sees
 * it if both copies landed.
 */
export function lostAnswers(
  escrows: readonly LoadedEscrow[],
  transitions: readonly TransitionRow[],
  history: LedgerHistory,
): LostAnswer[] {
  const byEscrowEvent = new Map<string, string[]>();
  for (const row of transitions) {
    const key = `${row.escrowId} ${row.eventName}`;
    byEscrowEvent.set(key, [...(byEscrowEvent.get(key) ?? []), row.txId]);
  }
  const lost: LostAnswer[] = [];
  for (const escrow of escrows)
    for (const step of escrow.answered.filter(acknowledges)) {
      const projected = byEscrowEvent.get(`${escrow.escrowId} ${eventOf(step.step)}`) ?? [];
      const onLedger = (history.get(escrow.escrowId) ?? []).filter((tx) => tx === step.transactionId).length;
      const reasons = [
        ...(step.transactionId !== undefined && onLedger !== 1
          ? [`${String(onLedger)} times in the ledger history`]
          : []),
        ...(projected.length !== 1 ? [`${String(projected.length)} events in the projection`] : []),
        ...(projected.length === 1 && step.transactionId !== undefined && projected[0] !== step.transactionId
          ? [`the projection's event is from ${projected[0] ?? '-'}`]
          : []),
      ];
      if (reasons.length > 0)
        lost.push({
          escrowId: escrow.escrowId,
          step: step.step,
          status: step.status,
          key: step.key,
          transactionId: step.transactionId,
          ...(step.confirmed === undefined ? {} : { confirmed: step.confirmed }),
          onLedger,
          projected,
          reason: reasons.join(', '),
        });
    }
  return lost;
}

/** One line per lost answer: the request, its key, the answer and what is missing. */
export function describeLostAnswer(lost: LostAnswer): string {
  const answer = lost.status === 202 ? `202 (confirmed ${lost.confirmed ?? '-'})` : String(lost.status);
  return `${lost.escrowId} ${lost.step}: answered ${answer} ${lost.transactionId ?? '(no tx id)'} under key ${lost.key}; ${lost.reason}`;
}
