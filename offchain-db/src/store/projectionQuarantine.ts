// The quarantine of the projection: a transaction whose rows PostgreSQL refuses, even once its texts
// are made storable, is applied without those rows and recorded in `quarantine` (block, tx, escrow
// ids, reason), so the mirror never retries one block forever; so is a transaction the mirror could
// not read at all (blockEffects). Reconcile reports their escrows as drift.
import type { PoolClient } from 'pg';
import type { BlockEffects } from '../mirror/blockEffects';
import type { AppliedBlock, QuarantinedRecord } from './projectionStore';
import { storableText } from './storableJson';

/**
 * SQLSTATE classes that say "this value can never be stored", as opposed to a lost connection or a
 * conflict worth retrying: data exceptions (22), integrity violations (23), program limits (54, e.g.
 * a text too long for a tsvector).
 */
const REFUSED_DATA = /^(22|23|54)/;

export function isRefusedData(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && REFUSED_DATA.test(code);
}

/** The block's effects of one transaction. */
function effectsOfTransaction(effects: BlockEffects, txId: string): BlockEffects {
  return {
    ...effects,
    escrows: effects.escrows.filter((write) => write.txId === txId),
    transitions: effects.transitions.filter((transition) => transition.txId === txId),
    reviews: effects.reviews.filter((review) => review.txId === txId),
    outbox: effects.outbox.filter((event) => event.eventId.startsWith(`${txId}:`)),
  };
}

function transactionsOf(effects: BlockEffects): string[] {
  return [
    ...new Set([
      ...effects.escrows.map((write) => write.txId),
      ...effects.transitions.map((transition) => transition.txId),
      ...effects.reviews.map((review) => review.txId),
    ]),
  ];
}

function escrowIdsOf(part: BlockEffects): string[] {
  return [
    ...new Set([
      ...part.escrows.map((write) => write.record.escrowId),
      ...part.transitions.map((transition) => transition.escrowId),
      ...part.reviews.map((review) => review.review.escrowId),
    ]),
  ].map(storableText);
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return storableText(`${String(code)}: ${message}`).slice(0, 1000);
}

async function quarantine(client: PoolClient, channel: string, record: QuarantinedRecord): Promise<void> {
  await client.query(
    `INSERT INTO quarantine (channel, block_number, tx_id, escrow_ids, reason)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel, tx_id) DO NOTHING`,
    [channel, record.blockNumber.toString(), record.txId, record.escrowIds, record.reason],
  );
}

/** Records the block's transactions the mirror could not read (blockEffects set them aside). */
export async function quarantineUnreadable(
  client: PoolClient,
  channel: string,
  effects: BlockEffects,
): Promise<QuarantinedRecord[]> {
  const records = effects.unreadable.map((tx) => ({
    blockNumber: effects.blockNumber,
    txId: storableText(tx.txId),
    escrowIds: tx.escrowIds.map(storableText),
    reason: storableText(tx.reason).slice(0, 1000),
  }));
  for (const record of records) await quarantine(client, channel, record);
  return records;
}

/**
 * Applies the block one transaction at a time, each behind a savepoint; a transaction PostgreSQL
 * refuses is rolled back alone and quarantined. Runs inside the block's database transaction.
 */
export async function writeEachTransaction(
  client: PoolClient,
  channel: string,
  effects: BlockEffects,
  write: (part: BlockEffects) => Promise<number>,
): Promise<AppliedBlock> {
  let repairedTexts = 0;
  const quarantined: QuarantinedRecord[] = [];
  for (const txId of transactionsOf(effects)) {
    const part = effectsOfTransaction(effects, txId);
    await client.query('SAVEPOINT transaction_effects');
    try {
      repairedTexts += await write(part);
      await client.query('RELEASE SAVEPOINT transaction_effects');
    } catch (error) {
      if (!isRefusedData(error)) throw error;
      await client.query('ROLLBACK TO SAVEPOINT transaction_effects');
      const record: QuarantinedRecord = {
        blockNumber: effects.blockNumber,
        txId: storableText(txId),
        escrowIds: escrowIdsOf(part),
        reason: reasonOf(error),
      };
      await quarantine(client, channel, record);
      quarantined.push(record);
    }
  }
  return { repairedTexts, quarantined };
}
