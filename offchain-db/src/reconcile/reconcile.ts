// Reconciliation: every escrow in the projection against the ledger (state, currency, amounts, last
// transaction id, number of versions) and every escrow on the ledger against the projection. The
// projection is never trusted: any difference is drift.
import type { Escrow, EventPayload, HistoryEntry } from '@p2p-escrow/chaincode';
import type { LedgerReader } from '../ledger/ledgerPorts';

/** An escrow row of the projection: the money fields every event carries, and what wrote it last. */
export interface ProjectedEscrow
  extends Pick<
    EventPayload,
    'escrowId' | 'state' | 'currency' | 'amount' | 'fundedAmount' | 'buyerRefund' | 'sellerPayout' | 'fee'
  > {
  readonly lastTxId: string;
  readonly version: number;
  /** Transitions that wrote the escrow record (every event but ReviewPosted). */
  readonly escrowTransitions: number;
}

export interface ReconcileStore {
  checkpoint(channel: string): Promise<bigint>;
  escrows(): Promise<ProjectedEscrow[]>;
  /** Transitions without their outbox event, or outbox events without their transition. */
  outboxMismatches(): Promise<string[]>;
  /** One drift (field `quarantined`, the reason as the projection's value) per quarantined escrow. */
  quarantined(): Promise<Drift[]>;
}

export interface Drift {
  readonly escrowId: string;
  readonly field: string;
  readonly ledger: string | number | null;
  readonly projection: string | number | null;
}

export interface ReconcileReport {
  readonly ok: boolean;
  readonly channel: string;
  readonly ledgerHeight: string;
  readonly checkpoint: string;
  readonly escrowsOnLedger: number;
  readonly escrowsInProjection: number;
  readonly checked: number;
  /** Escrows that differed while the ledger moved on during the check, compared once more. */
  readonly rechecked: number;
  readonly drift: readonly Drift[];
  readonly outboxMismatches: readonly string[];
  readonly seconds: number;
}

export interface ReconcileOptions {
  readonly channel: string;
  readonly marketplaces: readonly string[];
  readonly concurrency: number;
  /** How long to wait for the mirror to reach the ledger height before comparing. */
  readonly catchUpTimeoutMs: number;
}

const COMPARED = [
  'state',
  'currency',
  'amount',
  'fundedAmount',
  'buyerRefund',
  'sellerPayout',
  'fee',
] as const;

export async function reconcile(
  ledger: LedgerReader,
  store: ReconcileStore,
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  const began = Date.now();
  const height = await ledger.height();
  const checkpoint = await waitForCheckpoint(store, options, height - 1n);
  const drift: Drift[] = [];
  if (checkpoint < height - 1n)
    drift.push({
      escrowId: '*',
      field: 'checkpoint',
      ledger: String(height - 1n),
      projection: String(checkpoint),
    });
  const [ledgerIds, projected, quarantined] = await Promise.all([
    ledger.escrowIds(options.marketplaces),
    store.escrows(),
    store.quarantined(),
  ]);
  // A quarantined escrow is drift the mirror knows about: reported with its reason, the rest checked.
  drift.push(...quarantined);
  const quarantinedIds = new Set(quarantined.map((d) => d.escrowId));
  let escrowDrift = await compareEscrows(ledger, ledgerIds, projected, options.concurrency);
  // On a live network a block can commit while the escrows are compared (the keeper's deadlines, a
  // partner's step): its escrows then differ only until the mirror applies it. Those are compared once
  // more after the mirror has reached the ledger's new height; what still differs is drift.
  const moved = await ledger.height();
  const suspects = new Set(escrowDrift.map((d) => d.escrowId).filter((id) => !quarantinedIds.has(id)));
  let rechecked = 0;
  if (
    moved > height &&
    suspects.size > 0 &&
    (await waitForCheckpoint(store, options, moved - 1n)) >= moved - 1n
  ) {
    const [laterIds, laterRows] = await Promise.all([
      ledger.escrowIds(options.marketplaces),
      store.escrows(),
    ]);
    const again = await compareEscrows(
      ledger,
      new Set([...laterIds].filter((id) => suspects.has(id))),
      laterRows.filter((row) => suspects.has(row.escrowId)),
      options.concurrency,
    );
    escrowDrift = [...escrowDrift.filter((d) => !suspects.has(d.escrowId)), ...again];
    rechecked = suspects.size;
  }
  drift.push(...escrowDrift);
  const outboxMismatches = await store.outboxMismatches();
  return {
    ok: drift.length === 0 && outboxMismatches.length === 0,
    channel: options.channel,
    ledgerHeight: height.toString(),
    checkpoint: checkpoint.toString(),
    escrowsOnLedger: ledgerIds.size,
    escrowsInProjection: projected.length,
    checked: projected.length,
    rechecked,
    drift: drift.sort((a, b) => a.escrowId.localeCompare(b.escrowId)),
    outboxMismatches,
    seconds: (Date.now() - began) / 1000,
  };
}

/** Every listed escrow against the projection's rows, and every row against the ledger. */
async function compareEscrows(
  ledger: LedgerReader,
  ledgerIds: ReadonlySet<string>,
  projected: readonly ProjectedEscrow[],
  concurrency: number,
): Promise<Drift[]> {
  const drift: Drift[] = [];
  const inProjection = new Set(projected.map((row) => row.escrowId));
  for (const id of ledgerIds) {
    if (!inProjection.has(id))
      drift.push({ escrowId: id, field: 'presence', ledger: 'present', projection: null });
  }
  await forEachLimited(projected, concurrency, async (row) => {
    drift.push(...(await compareEscrow(ledger, row, ledgerIds.has(row.escrowId))));
  });
  return drift;
}

async function compareEscrow(ledger: LedgerReader, row: ProjectedEscrow, listed: boolean): Promise<Drift[]> {
  const drift: Drift[] = [];
  const differ = (field: string, onLedger: string | number | null, inProjection: string | number | null) => {
    if (onLedger !== inProjection)
      drift.push({ escrowId: row.escrowId, field, ledger: onLedger, projection: inProjection });
  };
  if (!listed) differ('presence', null, 'present');
  let escrow: Escrow;
  let history: HistoryEntry[];
  try {
    [escrow, history] = await Promise.all([
      ledger.escrowOnLedger(row.escrowId),
      ledger.ledgerHistory(row.escrowId),
    ]);
  } catch (error) {
    // A row the ledger cannot produce is drift, not a reason to stop checking the others.
    differ('ledgerRead', error instanceof Error ? error.message : String(error), 'present');
    return drift;
  }
  for (const field of COMPARED) differ(field, escrow[field], row[field]);
  const versions = history.filter((entry) => !entry.isDelete);
  differ('lastTxId', versions.at(-1)?.txId ?? null, row.lastTxId);
  differ('versions', versions.length, row.version);
  differ('transitions', versions.length, row.escrowTransitions);
  return drift;
}

async function waitForCheckpoint(
  store: ReconcileStore,
  options: ReconcileOptions,
  target: bigint,
): Promise<bigint> {
  const deadline = Date.now() + options.catchUpTimeoutMs;
  for (;;) {
    const checkpoint = await store.checkpoint(options.channel);
    if (checkpoint >= target || Date.now() > deadline) return checkpoint;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
}

export function reportText(report: ReconcileReport): string {
  const lines = [
    `reconcile ${report.channel}: ${report.ok ? 'CLEAN' : 'DRIFT'}`,
    `  ledger height ${report.ledgerHeight}, mirror checkpoint ${report.checkpoint}`,
    `  escrows on ledger ${report.escrowsOnLedger}, in projection ${report.escrowsInProjection}, checked ${report.checked} in ${report.seconds.toFixed(1)}s` +
      (report.rechecked > 0 ? `, ${report.rechecked} compared again after the ledger moved` : ''),
  ];
  for (const d of report.drift.slice(0, 50))
    lines.push(
      `  drift ${d.escrowId} ${d.field}: ledger=${String(d.ledger)} projection=${String(d.projection)}`,
    );
  if (report.drift.length > 50) lines.push(`  ... and ${report.drift.length - 50} more`);
  for (const m of report.outboxMismatches.slice(0, 20)) lines.push(`  outbox ${m}`);
  return lines.join('\n');
}
