// The Fabric adapter of the ledger ports: one gRPC client to one peer and one Gateway for the
// configured identity (an auditor suits a mirror: it may read everything and write nothing).
import * as grpc from '@grpc/grpc-js';
import { connect, type Gateway, type Network } from '@hyperledger/fabric-gateway';
import { nativeSigning } from '@p2p-escrow/scripts/dist/fabric/nativeSigning';
import { common } from '@hyperledger/fabric-protos';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { FabricConfig } from '../config/offchainConfig';
import { parseBlock } from './blockParser';
import type { BlockSource, BlockStream, HistoryEntry, LedgerReader } from './ledgerPorts';
import { type EscrowRecord, escrowRecordFromBytes, LedgerRecordError } from './ledgerRecords';

const decoder = new TextDecoder();
const PAGE_SIZE = 100;

export class FabricLedger implements BlockSource, LedgerReader {
  private readonly client: grpc.Client;
  private readonly gateway: Gateway;
  private readonly network: Network;

  constructor(private readonly config: FabricConfig) {
    const tls = grpc.credentials.createSsl(fs.readFileSync(config.tlsCaPath));
    this.client = new grpc.Client(config.peerEndpoint, tls, {
      'grpc.ssl_target_name_override': config.peerHostAlias,
    });
    this.gateway = connect({
      client: this.client,
      identity: { mspId: config.mspId, credentials: fs.readFileSync(config.certPath) },
      ...nativeSigning(crypto.createPrivateKey(fs.readFileSync(config.keyPath))),
      evaluateOptions: () => ({ deadline: Date.now() + 15_000 }),
    });
    this.network = this.gateway.getNetwork(config.channel);
  }

  async blocks(startBlock: bigint): Promise<BlockStream> {
    const events = await this.network.getBlockEvents({ startBlock });
    return {
      close: () => {
        events.close();
      },
      async *[Symbol.asyncIterator]() {
        for await (const block of events) yield parseBlock(block);
      },
    };
  }

  async height(): Promise<bigint> {
    const bytes = await this.network
      .getContract('qscc')
      .evaluateTransaction('GetChainInfo', this.config.channel);
    return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
  }

  async readEscrow(escrowId: string): Promise<EscrowRecord> {
    return escrowRecordFromBytes(await this.evaluate('readEscrow', [escrowId]));
  }

  async history(escrowId: string): Promise<HistoryEntry[]> {
    const value: unknown = JSON.parse(decoder.decode(await this.evaluate('getHistory', [escrowId])));
    if (!Array.isArray(value)) throw new LedgerRecordError(`history of ${escrowId}`, 'not an array');
    return value.map((entry: unknown) => {
      if (typeof entry !== 'object' || entry === null)
        throw new LedgerRecordError(`history of ${escrowId}`, 'entry is not an object');
      const { txId, timestamp, isDelete } = entry as Record<string, unknown>;
      if (typeof txId !== 'string') throw new LedgerRecordError(`history of ${escrowId}`, 'txId missing');
      return { txId, timestamp: String(timestamp), isDelete: isDelete === true };
    });
  }

  async escrowIds(marketplaces: readonly string[]): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const marketplace of marketplaces) {
      let bookmark = '';
      for (;;) {
        const bytes = await this.evaluate('listEscrowsByMarketplace', [
          marketplace,
          String(PAGE_SIZE),
          bookmark,
        ]);
        const page = JSON.parse(decoder.decode(bytes)) as { records?: unknown; bookmark?: unknown };
        const records = Array.isArray(page.records) ? (page.records as unknown[]) : [];
        for (const record of records) {
          if (typeof record === 'object' && record !== null && 'escrowId' in record)
            ids.add(String(record.escrowId));
        }
        if (typeof page.bookmark !== 'string' || page.bookmark === '' || records.length < PAGE_SIZE) break;
        bookmark = page.bookmark;
      }
    }
    return ids;
  }

  close(): void {
    this.gateway.close();
    this.client.close();
  }

  private evaluate(transaction: string, args: string[]): Promise<Uint8Array> {
    return this.network
      .getContract(this.config.chaincode)
      .evaluate(transaction, { arguments: args, endorsingOrganizations: [this.config.mspId] });
  }
}
