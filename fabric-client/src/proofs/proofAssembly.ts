// Builds an escrow's proof from a block source (a peer's qscc): the blocks of its transactions, then
// the headers of every block from the first of them to the chain's latest block. Header fetches run a
// few at a time; the chain's length is bounded so a proof of an old escrow fails plainly instead of
// fetching a ledger.
import { common } from '@hyperledger/fabric-protos';
import { parseBlock } from '../blocks/blockParser';
import { base64Of, escrowKeyOf, PROOF_FORMAT, type ProofBundle } from '@p2p-escrow/proof-verifier';

/** Where a proof's blocks come from (qsccBlockSource over a peer). */
export interface BlockSource {
  blockByTxId(txId: string): Promise<common.Block>;
  blockByNumber(number: bigint): Promise<common.Block>;
  /** The channel's height on this source (the latest block is height - 1). */
  height(): Promise<bigint>;
}

export interface ProofRequest {
  readonly channel: string;
  readonly chaincode: string;
  readonly escrowId: string;
  /** The transactions that wrote the escrow's key, oldest first (its key history). */
  readonly txIds: readonly string[];
  /** At most this many headers (the chain from the escrow's first block to the latest). */
  readonly maxHeaders?: number;
  /** Header fetches in flight at once. */
  readonly concurrency?: number;
}

export class ProofTooLongError extends Error {
  readonly code = 'PROOF_TOO_LONG';
  constructor(
    readonly headers: bigint,
    readonly maxHeaders: number,
  ) {
    super(
      `PROOF_TOO_LONG: the chain from the escrow's first block holds ${String(headers)} headers, over ${String(maxHeaders)}`,
    );
    this.name = 'ProofTooLongError';
  }
}

const DEFAULT_MAX_HEADERS = 5000;
const DEFAULT_CONCURRENCY = 8;

function headerOf(block: common.Block): common.BlockHeader {
  const header = block.getHeader();
  if (header === undefined) throw new Error('a block without a header');
  return header;
}

function signaturesOf(block: common.Block): Uint8Array {
  return (
    block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES] ?? new Uint8Array()
  );
}

export async function assembleProof(source: BlockSource, request: ProofRequest): Promise<ProofBundle> {
  const blocks = new Map<bigint, common.Block>();
  for (const txId of request.txIds) {
    const block = await source.blockByTxId(txId);
    blocks.set(BigInt(headerOf(block).getNumber()), block);
  }
  const numbers = [...blocks.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const first = numbers[0];
  if (first === undefined) throw new Error(`escrow ${request.escrowId} has no transactions`);
  const latest = (await source.height()) - 1n;
  const maxHeaders = request.maxHeaders ?? DEFAULT_MAX_HEADERS;
  if (latest - first + 1n > BigInt(maxHeaders)) throw new ProofTooLongError(latest - first + 1n, maxHeaders);
  const chain = await fetchChain(source, first, latest, blocks, request.concurrency ?? DEFAULT_CONCURRENCY);
  const latestBlock = chain[chain.length - 1];
  if (latestBlock === undefined) throw new Error('an empty chain');
  return {
    format: PROOF_FORMAT,
    channel: request.channel,
    chaincode: request.chaincode,
    escrowId: request.escrowId,
    transitions: request.txIds.map((txId) => transitionOf(request, txId, blocks)),
    blocks: numbers.map((number) => {
      const block = blocks.get(number) as common.Block;
      return {
        number: String(number),
        envelopes: (block.getData()?.getDataList_asU8() ?? []).map(base64Of),
        signatures: base64Of(signaturesOf(block)),
      };
    }),
    firstHeader: String(first),
    headers: chain.map((block) => base64Of(headerOf(block).serializeBinary())),
    latestSignatures: base64Of(signaturesOf(latestBlock)),
  };
}

/** Blocks `first`..`latest`, reusing those already fetched, `concurrency` requests at a time. */
async function fetchChain(
  source: BlockSource,
  first: bigint,
  latest: bigint,
  known: ReadonlyMap<bigint, common.Block>,
  concurrency: number,
): Promise<common.Block[]> {
  const chain: common.Block[] = [];
  let next = first;
  const worker = async (): Promise<void> => {
    while (next <= latest) {
      const number = next;
      next += 1n;
      chain[Number(number - first)] = known.get(number) ?? (await source.blockByNumber(number));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return chain;
}

function transitionOf(request: ProofRequest, txId: string, blocks: ReadonlyMap<bigint, common.Block>) {
  for (const [number, block] of blocks) {
    const transaction = parseBlock(block)
      .transactions()
      .find((candidate) => candidate.id === txId);
    if (transaction === undefined) continue;
    const write = transaction.readWriteSets
      .find((set) => set.namespace === request.chaincode)
      ?.writes.find((candidate) => candidate.key === escrowKeyOf(request.escrowId));
    return {
      txId,
      blockNumber: String(number),
      validationCode: transaction.validationCode,
      record: write === undefined || write.isDelete ? null : Buffer.from(write.value).toString('utf8'),
    };
  }
  throw new Error(`transaction ${txId} is in none of the blocks fetched for it`);
}
