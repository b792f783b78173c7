// The Fabric adapter of the payments ledger ports, as one marketplace's payments identity on its own
// peer: reads an escrow (a trade of another marketplace is FORBIDDEN_ACTOR there: not this one's), lists
// the marketplace's escrows (reconciliation), and records a settlement, naming the endorsing orgs the
// escrow's key-level policy needs and reading refusals with the chaincode's one parser.
import type { Contract } from '@hyperledger/fabric-gateway';
import {
  ARGUMENTS_TRANSIENT_KEY,
  escrowEndorsingOrganizations,
  escrowFromBytes,
  escrowPageFromBytes,
  isOrganizationName,
  mspIdOf,
  TRANSACTIONS,
  type Escrow,
  type Payee,
} from '@p2p-escrow/chaincode';
import {
  FabricConnection,
  PeerBehindError,
  qsccBlockSource,
  signingIdentityFromFiles,
  submitUntilCommitted,
  untilPeerHolds,
} from '@p2p-escrow/fabric-client';
import type { SettlementFabricConfig } from '../settlement/settlementConfig';
import type { SettlementLedger } from '../settlement/settlementPorts';
import { refusalOf } from './ledgerRefusal';

const encoder = new TextEncoder();
/** Escrows per page of a marketplace listing, and the most pages one listing reads. */
const PAGE_SIZE = 100;
const MAX_PAGES = 1000;

/** A ledger failure with the chaincode's code when it refused, else LEDGER_UNAVAILABLE (retried later). */
export class PaymentsLedgerError extends Error {
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'PaymentsLedgerError';
  }
}

/** MSP ids of the orgs whose peers must endorse a write of `escrow` (its key-level policy). */
function endorsersOf(escrow: Escrow): string[] {
  return escrowEndorsingOrganizations(escrow).map((org) => {
    if (!isOrganizationName(org)) throw new Error(`${org} is not an organization name`);
    return mspIdOf(org);
  });
}

function ledgerError(error: unknown): PaymentsLedgerError {
  const message = error instanceof Error ? error.message : String(error);
  return new PaymentsLedgerError(refusalOf(error)?.code ?? 'LEDGER_UNAVAILABLE', message);
}

export class FabricPaymentsLedger implements SettlementLedger {
  private readonly contract: Contract;
  /** The own peer's chain height, to read after an event's block (peerHeight.ts). */
  private readonly height: () => Promise<bigint>;

  constructor(
    private readonly connection: FabricConnection,
    config: Pick<SettlementFabricConfig, 'channel' | 'chaincode'>,
  ) {
    const network = connection.network(config.channel);
    this.contract = network.getContract(config.chaincode);
    const blocks = qsccBlockSource(network);
    this.height = () => blocks.height();
  }

  static open(config: SettlementFabricConfig): FabricPaymentsLedger {
    const signer = signingIdentityFromFiles(config.mspId, config.certPath, config.keyPath);
    return new FabricPaymentsLedger(new FabricConnection(config.peer, signer), config);
  }

  async readEscrow(escrowId: string, atLeastBlock?: bigint): Promise<Escrow | undefined> {
    try {
      if (atLeastBlock !== undefined) await untilPeerHolds(this.height, atLeastBlock);
      return escrowFromBytes(await this.contract.evaluateTransaction(TRANSACTIONS.readEscrow, escrowId));
    } catch (error) {
      if (error instanceof PeerBehindError) throw new PaymentsLedgerError(error.code, error.message);
      if (refusalOf(error)?.code === 'FORBIDDEN_ACTOR') return undefined;
      throw ledgerError(error);
    }
  }

  /** Every escrow of `marketplace`'s trades, page by page (bounded). */
  async escrowsOf(marketplace: string): Promise<Escrow[]> {
    const escrows: Escrow[] = [];
    let bookmark = '';
    for (let page = 0; page < MAX_PAGES; page += 1) {
      let bytes: Uint8Array;
      try {
        bytes = await this.contract.evaluateTransaction(
          TRANSACTIONS.listEscrowsByMarketplace,
          marketplace,
          String(PAGE_SIZE),
          bookmark,
        );
      } catch (error) {
        throw ledgerError(error);
      }
      const read = escrowPageFromBytes(bytes);
      escrows.push(...read.records);
      if (read.bookmark === '' || read.records.length === 0) return escrows;
      bookmark = read.bookmark;
    }
    throw new PaymentsLedgerError(
      'LEDGER_LISTING_TOO_LONG',
      `${marketplace} lists more than ${MAX_PAGES} pages`,
    );
  }

  async recordSettlement(
    escrow: Escrow,
    payee: Payee,
    providerRef: string,
    item?: number,
  ): Promise<'recorded' | 'already-recorded'> {
    const parameters = item === undefined ? { payee, providerRef } : { payee, providerRef, item };
    try {
      const proposal = this.contract.newProposal(TRANSACTIONS.recordSettlement, {
        arguments: [escrow.escrowId],
        transientData: { [ARGUMENTS_TRANSIENT_KEY]: encoder.encode(JSON.stringify(parameters)) },
        endorsingOrganizations: endorsersOf(escrow),
      });
      const status = await submitUntilCommitted(await proposal.endorse());
      if (!status.successful)
        throw new PaymentsLedgerError(
          'LEDGER_TRANSACTION_INVALID',
          `transaction ${status.transactionId} invalidated with code ${String(status.code)}`,
        );
      return 'recorded';
    } catch (error) {
      if (error instanceof PaymentsLedgerError) throw error;
      if (refusalOf(error)?.code === 'ALREADY_SETTLED') return 'already-recorded';
      throw ledgerError(error);
    }
  }

  close(): void {
    this.connection.close();
  }
}
