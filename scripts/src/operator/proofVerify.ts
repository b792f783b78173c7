// `proof verify <file>`: checks an escrow's audit proof against public MSP material alone (no
// network), then, when asked, compares its latest block with what other orgs' peers report.
import {
  compareLatestBlock,
  connectGateway,
  newPeerClient,
  ProofError,
  qsccBlockSource,
  signingIdentityFromMsp,
  verifyProof,
  type PeerReport,
  type ProofTrust,
  type VerifiedProof,
} from '@p2p-escrow/fabric-client';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { adminIdentityId } from '../network/fabricCli';
import { caCertPath, channelName, identityDir, peerEndpoint, peerOrg } from '../network/topology';
import { EXIT_USAGE, OperatorError } from './operatorError';

export interface ProofReport {
  readonly proof: VerifiedProof;
  /** Each compared peer's hash of the proof's latest block (all equal to the proof's). */
  readonly peers: readonly PeerReport[];
}

export function readProofFile(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new OperatorError('PROOF_UNREADABLE', `${file}: ${String(error)}`, EXIT_USAGE);
  }
}

/** Verifies offline; the first failed check becomes the command's one-line reason with its code. */
export function verifyProofFile(file: string, trust: ProofTrust): VerifiedProof {
  try {
    return verifyProof(readProofFile(file), trust);
  } catch (error) {
    if (error instanceof ProofError) throw new OperatorError(error.code, error.message);
    throw error;
  }
}

/** Asks each org's peer (local consortium) for the proof's latest block, signing as `as`'s admin. */
export async function comparePeers(
  proof: VerifiedProof,
  orgs: readonly string[],
  as: string,
): Promise<PeerReport[]> {
  const signer = peerOrg(as);
  const identity = signingIdentityFromMsp(
    signer.mspId,
    path.join(identityDir(signer.name, adminIdentityId(signer)), 'msp'),
  );
  const sessions = orgs.map((name) => {
    const org = peerOrg(name);
    const client = newPeerClient({
      address: peerEndpoint(org.name),
      hostAlias: 'localhost',
      tlsRootCertPath: caCertPath(org.name),
    });
    return { name: org.name, client, gateway: connectGateway(client, identity) };
  });
  try {
    return await compareLatestBlock(
      proof.latestBlock,
      sessions.map(({ name, gateway }) => ({
        name,
        source: qsccBlockSource(gateway.getNetwork(proof.channel || channelName)),
      })),
    );
  } catch (error) {
    if (error instanceof ProofError) throw new OperatorError(error.code, error.message);
    throw error;
  } finally {
    for (const session of sessions) {
      session.gateway.close();
      session.client.close();
    }
  }
}

function stateOf(record: unknown): string {
  if (typeof record === 'object' && record !== null && 'state' in record) return String(record.state);
  return record === null ? '(deleted)' : '?';
}

export function formatProofReport(report: ProofReport): string {
  const { proof } = report;
  const lines = [
    `escrow ${proof.escrowId} on ${proof.channel}/${proof.chaincode}: verified`,
    ...proof.transitions.map(
      (transition) =>
        `  block ${transition.blockNumber.padStart(6)}  ${transition.txId.slice(0, 16)}…  ${stateOf(transition.record).padEnd(10)}  endorsed by ${transition.endorsingMspIds.join(' + ')} (policy ${transition.policy})`,
    ),
    `  latest block ${proof.latestBlock.number}: ${proof.latestBlock.hash}`,
    ...report.peers.map((peer) => `  ${peer.name}'s peer reports the same hash`),
  ];
  return `${lines.join('\n')}\n`;
}
