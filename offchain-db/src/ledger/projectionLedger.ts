// The Fabric adapter of the mirror's and the reconciler's ledger ports: one connection to one peer
// for the configured identity (an auditor suits them: it may read everything and write nothing).
// Blocks come with the private data the peer holds and the identity's org may read: the terms
// collections it is a member of carry the escrows' full records.
import {
  escrowFromBytes,
  escrowPageFromBytes,
  marketplaceRegistryFromBytes,
  historyFromBytes,
  type Escrow,
  type HistoryEntry,
  TRANSACTIONS,
} from '@p2p-escrow/chaincode';
import {
  FabricConnection,
  parseBlockAndPrivateData,
  signingIdentityFromFiles,
} from '@p2p-escrow/fabric-client';
import type { Network } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import type { FabricConfig } from '../config/offchainConfig';
import type { BlockSource, BlockStream, LedgerReader } from './ledgerPorts';

const PAGE_SIZE = 100;

export class ProjectionLedger implements BlockSource, LedgerReader {
  private readonly network: Network;

  constructor(
    private readonly connection: FabricConnection,
    private readonly config: Pick<FabricConfig, 'channel' | 'chaincode' | 'mspId'>,
  ) {
    this.network = connection.network(config.channel);
  }

  /** Connects to the configured peer as the configured identity. */
  static open(config: FabricConfig): ProjectionLedger {
    const signer = signingIdentityFromFiles(config.mspId, config.certPath, config.keyPath);
    return new ProjectionLedger(new FabricConnection(config.peer, signer), config);
  }

  async blocks(startBlock: bigint): Promise<BlockStream> {
    const events = await this.network.getBlockAndPrivateDataEvents({ startBlock });
    return {
      close: () => {
        events.close();
      },
      async *[Symbol.asyncIterator]() {
        for await (const block of events) yield parseBlockAndPrivateData(block);
      },
    };
  }

  async height(): Promise<bigint> {
    const bytes = await this.network
      .getContract('qscc')
      .evaluateTransaction('GetChainInfo', this.config.channel);
    return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
  }

  async escrowOnLedger(escrowId: string): Promise<Escrow> {
    return escrowFromBytes(await this.query(TRANSACTIONS.readEscrow, [escrowId]));
  }

  async ledgerHistory(escrowId: string): Promise<HistoryEntry[]> {
    return historyFromBytes(await this.query(TRANSACTIONS.getHistory, [escrowId]));
  }

  /** Every marketplace the chaincode's registry holds, suspended ones included (their escrows stay). */
  async registeredMarketplaces(): Promise<string[]> {
    const registry = marketplaceRegistryFromBytes(await this.query(TRANSACTIONS.readMarketplaces, []));
    return registry.marketplaces.map((entry) => entry.name);
  }

  /** The ids of the named marketplaces' escrows; none named: of every registered marketplace. */
  async escrowIds(marketplaces: readonly string[]): Promise<Set<string>> {
    const ids = new Set<string>();
    const listed = marketplaces.length > 0 ? marketplaces : await this.registeredMarketplaces();
    for (const marketplace of listed) {
      let bookmark = '';
      for (;;) {
        const page = escrowPageFromBytes(
          await this.query(TRANSACTIONS.listEscrowsByMarketplace, [marketplace, String(PAGE_SIZE), bookmark]),
        );
        for (const escrow of page.records) ids.add(escrow.escrowId);
        if (page.bookmark === '' || page.records.length < PAGE_SIZE) break;
        bookmark = page.bookmark;
      }
    }
    return ids;
  }

  close(): void {
    this.connection.close();
  }

  /** Evaluates on this identity's own peer. */
  private query(transaction: string, args: string[]): Promise<Uint8Array> {
    return this.network
      .getContract(this.config.chaincode)
      .evaluate(transaction, { arguments: args, endorsingOrganizations: [this.config.mspId] });
  }
}
