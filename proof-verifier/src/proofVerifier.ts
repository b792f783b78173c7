// The proof verifier: a pure function of a bundle and the orgs' public MSP material (no network).
// It checks every signature, the endorsement policy each transition had to meet (the chaincode
// definition's until the escrow's key carried its own, then the last one written before it), the
// data hash of each block, the hash chain up to the latest header and its orderer signatures, and
// that each claimed record is what the transaction wrote. The first failure throws a ProofError.
import type * as common from '@hyperledger/fabric-protos/lib/common/common_pb';
import { utf8Of } from './bytes';
import { checkDataHash, checkHeaderChain, checkOrdererSignatures, headerHashHex } from './blockCheck';
import {
  describePolicy,
  policyFromEnvelope,
  requirePolicySatisfied,
  type PolicyRule,
} from './policyEvaluation';
import { bytesOf, proofBundleFrom, type ProofBlock, type ProofBundle } from './proofBundle';
import { ProofError } from './proofErrors';
import type { ProofTrust } from './proofTrust';
import { channelHeaderOf, checkTransaction, type TransactionContext } from './transactionCheck';

const VALID = 0;

export interface VerifiedTransition {
  readonly txId: string;
  readonly blockNumber: string;
  /** Position of the transaction in its block. */
  readonly txIndex: number;
  readonly timestamp: string;
  readonly creatorMspId: string;
  readonly endorsingMspIds: readonly string[];
  /** The policy its endorsements met. */
  readonly policy: string;
  /** The record it wrote (parsed JSON), null when it deleted the key. */
  readonly record: unknown;
}

export interface VerifiedProof {
  readonly escrowId: string;
  readonly channel: string;
  readonly chaincode: string;
  readonly transitions: readonly VerifiedTransition[];
  readonly latestBlock: { readonly number: string; readonly hash: string };
}

/** Fabric's composite key of an escrow's public record (`\0escrow\0<id>\0`). */
export function escrowKeyOf(escrowId: string): string {
  return `\u0000escrow\u0000${escrowId}\u0000`;
}

export function verifyProof(json: unknown, trust: ProofTrust): VerifiedProof {
  const bundle = proofBundleFrom(json);
  const first = BigInt(bundle.firstHeader);
  const headers = checkHeaderChain(first, bundle.headers);
  const headerOf = (number: string): common.BlockHeader => {
    const header = headers[Number(BigInt(number) - first)];
    if (BigInt(number) < first || header === undefined)
      throw new ProofError('PROOF_HASH_CHAIN_BROKEN', `block ${number} is outside the proof's chain`);
    return header;
  };
  const envelopesByBlock = checkBlocks(bundle, trust, headerOf);
  const latest = headers[headers.length - 1];
  if (latest === undefined) throw new ProofError('PROOF_MALFORMED', 'no headers');
  checkOrdererSignatures(trust, latest, bundle.latestSignatures);
  return {
    escrowId: bundle.escrowId,
    channel: bundle.channel,
    chaincode: bundle.chaincode,
    transitions: checkTransitions(bundle, trust, envelopesByBlock),
    latestBlock: { number: String(latest.getNumber()), hash: headerHashHex(latest) },
  };
}

/** Each block once, ascending, starting the chain, its data hashed and its orderers' signatures checked. */
function checkBlocks(
  bundle: ProofBundle,
  trust: ProofTrust,
  headerOf: (number: string) => common.BlockHeader,
): Map<string, Uint8Array[]> {
  const byNumber = new Map<string, Uint8Array[]>();
  if (bundle.blocks[0]?.number !== bundle.firstHeader)
    throw new ProofError(
      'PROOF_HASH_CHAIN_BROKEN',
      'the chain does not start at the first block of the proof',
    );
  let previous = -1n;
  bundle.blocks.forEach((block: ProofBlock) => {
    if (BigInt(block.number) <= previous)
      throw new ProofError('PROOF_MALFORMED', 'blocks are not in ascending order, each once');
    previous = BigInt(block.number);
    const header = headerOf(block.number);
    const envelopes = block.envelopes.map((text, index) =>
      bytesOf(text, `block ${block.number}'s envelope ${String(index)}`),
    );
    checkDataHash(header, envelopes);
    checkOrdererSignatures(trust, header, block.signatures);
    byNumber.set(block.number, envelopes);
  });
  return byNumber;
}

function checkTransitions(
  bundle: ProofBundle,
  trust: ProofTrust,
  envelopesByBlock: Map<string, Uint8Array[]>,
): VerifiedTransition[] {
  const context: TransactionContext = {
    trust,
    channel: bundle.channel,
    chaincode: bundle.chaincode,
    key: escrowKeyOf(bundle.escrowId),
  };
  let keyPolicy: PolicyRule | undefined;
  let previous: { block: bigint; index: number } | undefined;
  const used = new Set<string>();
  const verified = bundle.transitions.map((transition) => {
    const what = `transaction ${transition.txId}`;
    const envelopes = envelopesByBlock.get(transition.blockNumber);
    if (envelopes === undefined)
      throw new ProofError(
        'PROOF_TRANSACTION_MISMATCH',
        `${what}: its block ${transition.blockNumber} is not in the proof`,
      );
    used.add(transition.blockNumber);
    const txIndex = envelopes.findIndex(
      (envelope) => channelHeaderOf(envelope, what).getTxId() === transition.txId,
    );
    const envelope = envelopes[txIndex];
    if (envelope === undefined)
      throw new ProofError('PROOF_TRANSACTION_MISMATCH', `${what} is not in block ${transition.blockNumber}`);
    const position = { block: BigInt(transition.blockNumber), index: txIndex };
    if (
      previous !== undefined &&
      (position.block < previous.block ||
        (position.block === previous.block && position.index <= previous.index))
    )
      throw new ProofError('PROOF_MALFORMED', `${what} is not after the transition before it`);
    previous = position;
    if (transition.validationCode !== VALID)
      throw new ProofError(
        'PROOF_TRANSACTION_INVALID',
        `${what} has validation code ${String(transition.validationCode)}`,
      );
    const checked = checkTransaction(context, envelope, transition.txId);
    const policy = keyPolicy ?? trust.chaincodePolicy;
    requirePolicySatisfied(policy, checked.endorsers, what);
    const written = checked.written === null ? null : utf8Of(checked.written);
    if (written !== transition.record)
      throw new ProofError('PROOF_STATE_MISMATCH', `${what} wrote another record than the one claimed`);
    if (checked.policyWrite !== 'unchanged')
      keyPolicy = checked.policyWrite === null ? undefined : policyFromEnvelope(checked.policyWrite);
    return {
      txId: transition.txId,
      blockNumber: transition.blockNumber,
      txIndex,
      timestamp: checked.timestamp.toISOString(),
      creatorMspId: checked.creator.mspId,
      endorsingMspIds: [...new Set(checked.endorsers.map((signer) => signer.mspId))],
      policy: describePolicy(policy),
      record: written === null ? null : parseRecord(written, what),
    };
  });
  if (used.size !== bundle.blocks.length)
    throw new ProofError('PROOF_MALFORMED', 'the proof carries a block no transition is in');
  return verified;
}

function parseRecord(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProofError('PROOF_STATE_MISMATCH', `${what} wrote a record that is not JSON`);
  }
}
