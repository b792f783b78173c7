// `chaincode approve` and `chaincode commit`: the runner's own lifecycle steps (approveDefinition,
// commitDefinition, checkcommitreadiness) run as one org's admin, the definition being the deployed
// package at the next sequence unless a sequence is given. Commit is refused until a majority approved.
import {
  approveDefinition,
  approvedBy,
  chaincodeName,
  commitDefinition,
  deployedPackageId,
  queryCommittedDefinition,
  versionOfPackage,
  type DefinitionToApprove,
} from '../network/chaincodeDeployment';
import type { RemoteNodes } from '../network/chaincodeInvoke';
import { peerOrgs, type PeerOrgSpec } from '../network/topology';
import { EXIT_USAGE, OperatorError } from './operatorError';

export interface LifecycleRequest {
  org: PeerOrgSpec;
  sequence?: number;
  /** The installed package's id, as its operator was given it; the locally deployed one by default. */
  packageId?: string;
  /** The orderer and the other orgs' peers on hosts of their own (from their public bundles). */
  remote?: RemoteNodes;
  progress: (line: string) => void;
}

/** True when more than half of the channel's orgs approved (the channel's MAJORITY LifecycleEndorsement). */
export function majorityApproved(approvals: Record<string, boolean>): boolean {
  const total = Object.keys(approvals).length;
  return total > 0 && Object.values(approvals).filter(Boolean).length * 2 > total;
}

export function describeApprovals(approvals: Record<string, boolean>): string {
  const approved = Object.keys(approvals)
    .filter((mspId) => approvals[mspId])
    .sort();
  return `${String(approved.length)} of ${String(Object.keys(approvals).length)} orgs approved (${approved.join(', ') || 'none'})`;
}

/** The locally deployed package's id; an operator on another host has none and must name one. */
function localPackageId(): string {
  try {
    return deployedPackageId();
  } catch {
    throw new OperatorError(
      'PACKAGE_ID_UNKNOWN',
      'no chaincode package deployed from this state directory; pass --package-id <id>',
      EXIT_USAGE,
    );
  }
}

async function definitionFor(request: LifecycleRequest): Promise<DefinitionToApprove> {
  const { org, sequence } = request;
  const packageId = request.packageId ?? localPackageId();
  const next =
    sequence ??
    (await queryCommittedDefinition(org).then(
      (committed) => committed.sequence + 1,
      () => 1,
    ));
  return { version: versionOfPackage(packageId), sequence: next, packageId };
}

/**
 * Who approved the definition: checkcommitreadiness before it is committed; once committed (an org
 * approving late, to catch up) that query refuses its sequence, and querycommitted answers instead.
 */
async function approvalsOf(
  org: PeerOrgSpec,
  definition: DefinitionToApprove,
): Promise<Record<string, boolean>> {
  const committed = await queryCommittedDefinition(org).catch(() => undefined);
  if (committed?.sequence === definition.sequence) return committed.approvals;
  return approvedBy(org, definition.version, definition.sequence);
}

export async function approveAsOrg(request: LifecycleRequest): Promise<Record<string, boolean>> {
  const definition = await definitionFor(request);
  const { org, progress } = request;
  const what = `${chaincodeName} version ${definition.version} sequence ${String(definition.sequence)}`;
  const before = await approvalsOf(org, definition);
  if (before[org.mspId] === true) {
    progress(`${org.name} has already approved ${what}`);
    return before;
  }
  progress(`approving ${what} as ${org.name}'s admin`);
  await approveDefinition(org, definition, request.remote?.orderer);
  return approvalsOf(org, definition);
}

export async function commitAsOrg(request: LifecycleRequest): Promise<Record<string, boolean>> {
  const definition = await definitionFor(request);
  const { org, progress } = request;
  const what = `${chaincodeName} version ${definition.version} sequence ${String(definition.sequence)}`;
  const approvals = await approvedBy(org, definition.version, definition.sequence);
  if (!majorityApproved(approvals))
    throw new OperatorError(
      'NOT_ENOUGH_APPROVALS',
      `cannot commit ${what}: ${describeApprovals(approvals)}; a majority must approve first`,
    );
  progress(`committing ${what} as ${org.name}'s admin (${describeApprovals(approvals)})`);
  const endorsers = peerOrgs.filter((member) => approvals[member.mspId] === true);
  const remotePeers = request.remote?.peers;
  if (remotePeers !== undefined) {
    const unreachable = endorsers.filter(
      (member) => member !== org && remotePeers[member.mspId] === undefined,
    );
    if (unreachable.length > 0)
      throw new OperatorError(
        'BUNDLE_MISSING',
        `no bundle names the peer of ${unreachable.map((member) => member.mspId).join(', ')}; pass --bundle for each org that approved`,
        EXIT_USAGE,
      );
  }
  await commitDefinition(org, definition.version, definition.sequence, endorsers, request.remote);
  return approvals;
}
