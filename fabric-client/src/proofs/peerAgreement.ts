// The second check of a proof, which needs the network: the proof's latest block as two (or more)
// different orgs' peers report it. A peer's answer is not trusted either: its header is hashed here.
import { blockHeaderHash, bytesToHex, ProofError } from '@p2p-escrow/proof-verifier';
import type { BlockSource } from './proofAssembly';

export interface NamedBlockSource {
  /** Who answers (an org's peer), for the report. */
  readonly name: string;
  readonly source: BlockSource;
}

export interface PeerReport {
  readonly name: string;
  readonly hash: string;
}

/** Every source must report `latest.hash` for block `latest.number`; fewer than two sources is refused. */
export async function compareLatestBlock(
  latest: { readonly number: string; readonly hash: string },
  sources: readonly NamedBlockSource[],
): Promise<PeerReport[]> {
  if (new Set(sources.map((source) => source.name)).size < 2)
    throw new Error("the latest block must be compared with two different orgs' peers");
  const reports = await Promise.all(
    sources.map(async ({ name, source }) => {
      const header = (await source.blockByNumber(BigInt(latest.number))).getHeader();
      const hash = header === undefined ? '' : bytesToHex(blockHeaderHash(header));
      return { name, hash };
    }),
  );
  for (const report of reports)
    if (report.hash !== latest.hash)
      throw new ProofError(
        'PROOF_LATEST_BLOCK_MISMATCH',
        `${report.name} reports ${report.hash || 'no header'} for block ${latest.number}, the proof ${latest.hash}`,
      );
  return reports;
}
