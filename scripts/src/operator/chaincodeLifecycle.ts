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
import { peerOrgs, type PeerOrgSpec } from '../network/topology';
import { OperatorError } from './operatorError';

export interface LifecycleRequest {
  org: PeerOrgSpec;
  sequence?: number;
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

async function definitionFor({ org, sequence }: LifecycleRequest): Promise<DefinitionToApprove> {
  const packageId = deployedPackageId();
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
  await approveDefinition(org, definition);
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
  await commitDefinition(org, definition.version, definition.sequence, endorsers);
  return approvals;
}
