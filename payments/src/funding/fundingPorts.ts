// What the payment webhook needs from the world: the ledger (read an escrow, fund it as this
// marketplace's payments identity) and the record of provider events already processed. The Fabric
// and file adapters sit beside them; the unit tests use in-memory ones.
import type { Escrow } from '@p2p-escrow/chaincode';

/** The chaincode refused a transaction; `code` is one of its ERROR_CODES. */
export class LedgerRefusal extends Error {
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'LedgerRefusal';
  }
}

export interface FundingLedger {
  /** The escrow's full record as this marketplace's peer holds it; undefined when it does not exist. */
  readEscrow(escrowId: string): Promise<Escrow | undefined>;
  /**
   * Submits `fund` with the escrow's own amount and currency and the provider's payment id, and waits
   * for the commit. A chaincode refusal is a LedgerRefusal; anything else is transient.
   */
  fund(escrow: Escrow, paymentId: string): Promise<{ readonly transactionId: string }>;
}

/** One provider event the service acted on; its id is never acted on again. */
export interface ProcessedEvent {
  readonly eventId: string;
  readonly escrowId: string;
  readonly paymentId: string;
  /** The fund transaction, or undefined when the ledger already held this payment's funding. */
  readonly transactionId: string | undefined;
  readonly processedAt: string;
}

export interface ProcessedEvents {
  find(eventId: string): Promise<ProcessedEvent | undefined>;
  record(event: ProcessedEvent): Promise<void>;
}
