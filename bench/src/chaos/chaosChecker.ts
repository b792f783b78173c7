// The chaos run's checker: once the stack is quiet again (bounded wait), proves from the ledger (through
// the gateway and reconcile), the projection, the Kafka topic and the webhook receiver that nothing the
// load was told succeeded was lost or duplicated, and that the money and the deadlines hold.
import { call, tokenOf, topicMessages, type projectionPool } from '@p2p-escrow/testkit';
import { acknowledges, type LoadedEscrow } from './chaosLoad';
import { describeLostAnswer, lostAnswers, type LedgerHistory, type TransitionRow } from './lostAnswers';

export type { LedgerHistory, TransitionRow } from './lostAnswers';

export interface Verdict {
  readonly name: string;
  readonly passed: boolean;
  /** What was checked, in figures. */
  readonly detail: string;
  /** The first few offending items, when it failed. */
  readonly examples: readonly string[];
}

export interface EscrowRow {
  readonly escrowId: string;
  readonly state: string;
  readonly fundedAmount: bigint;
  readonly buyerRefund: bigint;
  readonly sellerPayout: bigint;
  readonly fee: bigint;
  readonly inspectionEndsAt: Date | undefined;
}

export interface WebhookOutcome {
  /** Event ids the receiver took (deduplicated). */
  readonly received: ReadonlySet<string>;
  /** Event id → the reason of its dead delivery. */
  readonly dead: ReadonlyMap<string, string>;
}

/** The projection's database, as the test kit opens it (its owner role: webhook deliveries included). */
export type Pool = ReturnType<typeof projectionPool>;

const TERMINAL = new Set(['RELEASED', 'RESOLVED', 'CANCELLED', 'REFUNDED']);

function verdict(name: string, offending: string[], detail: string): Verdict {
  return { name, passed: offending.length === 0, detail, examples: offending.slice(0, 10) };
}

/**
 * Every step acknowledged (200/201, or a 202 whose transaction the gateway later reported committed) is
 * on the ledger exactly once: its transaction once in the escrow's ledger history (when the answer
 * named it), its event once in the projection (which reconcile ties to the ledger), and no event of the
 * lifecycle twice. A 202 is "submitted, commit not known", no acknowledgement: the figures count them.
 */
export function answeredExactlyOnce(
  escrows: readonly LoadedEscrow[],
  transitions: readonly TransitionRow[],
  history: LedgerHistory,
): Verdict {
  const byEscrowEvent = new Map<string, TransitionRow[]>();
  for (const row of transitions) {
    const key = `${row.escrowId} ${row.eventName}`;
    byEscrowEvent.set(key, [...(byEscrowEvent.get(key) ?? []), row]);
  }
  const offending = lostAnswers(escrows, transitions, history).map(describeLostAnswer);
  const steps = escrows.flatMap((escrow) => escrow.answered);
  const acknowledged = steps.filter(acknowledges).length;
  const pending = steps.filter((step) => step.status === 202);
  const confirmed = pending.filter((step) => step.confirmed === 'COMMITTED').length;
  for (const [key, rows] of byEscrowEvent)
    if (rows.length > 1) offending.push(`${key}: ${String(rows.length)} transitions (duplicated)`);
  return verdict(
    'every acknowledged write on the ledger exactly once',
    offending,
    `${String(acknowledged)} steps acknowledged (${String(confirmed)} of them 202 then confirmed committed), ` +
      `${String(pending.length - confirmed)} answered 202 never confirmed (tried again under a fresh key), ` +
      `${String(transitions.length)} transitions of the run's escrows`,
  );
}

/** Each ledger transaction of the run's escrows once in the projection, each event id once there and at least once on Kafka. */
export function projectedOnceOnKafka(
  transitions: readonly TransitionRow[],
  onKafka: ReadonlyMap<string, number>,
  history: LedgerHistory,
): Verdict {
  const seen = new Map<string, number>();
  for (const row of transitions) seen.set(row.eventId, (seen.get(row.eventId) ?? 0) + 1);
  const txRows = new Map<string, number>();
  for (const row of transitions)
    txRows.set(`${row.escrowId} ${row.txId}`, (txRows.get(`${row.escrowId} ${row.txId}`) ?? 0) + 1);
  const ledgerTxs = [...history].flatMap(([escrowId, txs]) => txs.map((tx) => `${escrowId} ${tx}`));
  const offending = [
    ...ledgerTxs
      .filter((tx) => txRows.get(tx) !== 1)
      .map((tx) => `${tx}: ${String(txRows.get(tx) ?? 0)} times in the projection`),
    ...[...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id}: ${String(n)} rows in the projection`),
    ...[...seen.keys()].filter((id) => (onKafka.get(id) ?? 0) < 1).map((id) => `${id}: not on Kafka`),
  ];
  const copies = [...onKafka.values()].reduce((a, b) => a + b, 0);
  return verdict(
    'every transaction in PostgreSQL once and on Kafka at least once',
    offending,
    `${String(ledgerTxs.length)} ledger transactions, ${String(seen.size)} event ids; ${String(copies)} Kafka messages for them (${String(copies - onKafka.size)} redelivered copies)`,
  );
}

/** Every event reached the receiver, or its delivery is dead with a reason. */
export function webhooksAccounted(transitions: readonly TransitionRow[], webhooks: WebhookOutcome): Verdict {
  const offending: string[] = [];
  let dead = 0;
  for (const row of transitions) {
    if (webhooks.received.has(row.eventId)) continue;
    const reason = webhooks.dead.get(row.eventId);
    if (reason !== undefined && reason !== '') dead += 1;
    else
      offending.push(`${row.eventId} (${row.escrowId} ${row.eventName}): neither received nor dead-lettered`);
  }
  return verdict(
    'every webhook event received or dead-lettered with a reason',
    offending,
    `${String(transitions.length - dead - offending.length)} received, ${String(dead)} dead-lettered`,
  );
}

/** At every terminal state: buyer refund + seller payout + fee = funded amount. */
export function moneyInvariant(escrows: readonly EscrowRow[]): Verdict {
  const offending = escrows
    .filter((row) => TERMINAL.has(row.state))
    .filter((row) => row.buyerRefund + row.sellerPayout + row.fee !== row.fundedAmount)
    .map(
      (row) =>
        `${row.escrowId} ${row.state}: ${String(row.buyerRefund)} + ${String(row.sellerPayout)} + ${String(row.fee)} ≠ ${String(row.fundedAmount)}`,
    );
  const terminal = escrows.filter((row) => TERMINAL.has(row.state)).length;
  return verdict(
    'the money invariant holds',
    offending,
    `${String(terminal)} terminal escrows of ${String(escrows.length)}`,
  );
}

/** No escrow left DELIVERED past its inspection window (plus the keeper's interval and a margin). */
export function noDeadlinePassed(escrows: readonly EscrowRow[], now: Date, graceMs: number): Verdict {
  const offending = escrows
    .filter((row) => row.state === 'DELIVERED' && row.inspectionEndsAt !== undefined)
    .filter((row) => now.getTime() - (row.inspectionEndsAt?.getTime() ?? 0) > graceMs)
    .map(
      (row) => `${row.escrowId}: DELIVERED, inspection ended ${row.inspectionEndsAt?.toISOString() ?? ''}`,
    );
  return verdict(
    'no escrow sits past its deadline',
    offending,
    `${String(escrows.filter((row) => row.state === 'DELIVERED').length)} still DELIVERED within their window`,
  );
}

// ---- Reads of the live stack ----

/**
 * Each escrow's ledger history, read through MarketA's gateway as its backend (the buyer's marketplace,
 * party to every escrow of the run; client credentials, so no user's login throttling is in the way).
 */
export async function ledgerHistoryOf(escrowIds: readonly string[]): Promise<Map<string, string[]>> {
  const history = new Map<string, string[]>();
  const readOne = async (escrowId: string): Promise<void> => {
    let last = '';
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        const read = await call('GET', `/v1/escrows/${escrowId}/history`, undefined, {
          token: await tokenOf('marketa-backend'),
        });
        if (read.status === 404) return;
        if (read.status === 200) {
          const entries = (read.body['entries'] ?? []) as { txId: string }[];
          history.set(
            escrowId,
            entries.map((entry) => entry.txId),
          );
          return;
        }
        last = `${String(read.status)} ${read.text.slice(0, 200)}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
    }
    throw new Error(`the ledger history of ${escrowId} could not be read: ${last}`);
  };
  for (let i = 0; i < escrowIds.length; i += 8) await Promise.all(escrowIds.slice(i, i + 8).map(readOne));
  return history;
}

export async function transitionsOf(db: Pool, escrowIds: readonly string[]): Promise<TransitionRow[]> {
  const rows = await db.query<{ escrow_id: string; event_id: string; event_name: string; tx_id: string }>(
    `SELECT escrow_id, tx_id || ':' || event_index AS event_id, event_name, tx_id FROM transitions
     WHERE escrow_id = ANY($1) ORDER BY block_number, tx_index, event_index`,
    [escrowIds],
  );
  return rows.rows.map((row) => ({
    escrowId: row.escrow_id,
    eventId: row.event_id,
    eventName: row.event_name,
    txId: row.tx_id,
  }));
}

export async function escrowRowsOf(db: Pool, escrowIds: readonly string[]): Promise<EscrowRow[]> {
  const rows = await db.query<{
    escrow_id: string;
    state: string;
    funded_amount: string;
    buyer_refund: string;
    seller_payout: string;
    fee: string;
    inspection_ends_at: Date | null;
  }>(
    `SELECT escrow_id, state, funded_amount, buyer_refund, seller_payout, fee, inspection_ends_at
     FROM escrows WHERE escrow_id = ANY($1)`,
    [escrowIds],
  );
  return rows.rows.map((row) => ({
    escrowId: row.escrow_id,
    state: row.state,
    fundedAmount: BigInt(row.funded_amount),
    buyerRefund: BigInt(row.buyer_refund),
    sellerPayout: BigInt(row.seller_payout),
    fee: BigInt(row.fee),
    inspectionEndsAt: row.inspection_ends_at ?? undefined,
  }));
}

export async function deadDeliveriesOf(db: Pool, subscriptionId: string): Promise<Map<string, string>> {
  const rows = await db.query<{
    event_id: string;
    last_error: string | null;
    last_status_code: number | null;
  }>(
    `SELECT event_id, last_error, last_status_code FROM webhook_deliveries WHERE subscription_id = $1 AND status = 'dead'`,
    [subscriptionId],
  );
  return new Map(
    rows.rows.map((row) => [
      row.event_id,
      row.last_error ?? (row.last_status_code === null ? '' : `HTTP ${String(row.last_status_code)}`),
    ]),
  );
}

/** Deliveries of the subscription still to try, and outbox rows not yet published. */
export async function pendingWork(
  db: Pool,
  subscriptionId: string,
): Promise<{ deliveries: number; outbox: number }> {
  const deliveries = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM webhook_deliveries WHERE subscription_id = $1 AND status IN ('pending', 'retrying')`,
    [subscriptionId],
  );
  const outbox = await db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL');
  return { deliveries: Number(deliveries.rows[0]?.n ?? 0), outbox: Number(outbox.rows[0]?.n ?? 0) };
}

/** How many times each event id is on the topic (escrows keyed by id). */
export async function kafkaCopies(
  escrowIds: readonly string[],
  eventIds: readonly string[],
): Promise<Map<string, number>> {
  const messages = await topicMessages(new Set(escrowIds), new Set(eventIds), 120_000);
  const counts = new Map<string, number>();
  for (const message of messages) counts.set(message.eventId, (counts.get(message.eventId) ?? 0) + 1);
  return counts;
}
