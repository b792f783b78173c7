// `marketplace list|register-founding|add|suspend|reinstate`: the escrow chaincode's marketplace
// registry, through the peer CLI as one org's admin. A change commits only when a majority of the
// governing members (active marketplaces and Oversight) endorse it: locally every such org's peer,
// or, on an operator's own host, its own peer and the peers the other orgs' bundles name.
import { mspIdOf } from '@p2p-escrow/chaincode';
import { fetchChannelMembers } from '../network/channelConfig';
import { invokeAndWait, queryJson, type RemoteNodes } from '../network/chaincodeInvoke';
import { GOVERNING_ORG, peerOrg, type PeerOrgSpec } from '../network/topology';
import { table } from './consortiumTable';
import { EXIT_USAGE, OperatorError } from './operatorError';

export interface RegistryEntry {
  name: string;
  mspId: string;
  status: string;
  updatedAt: string;
  updatedBy: string;
}

export interface MarketplaceRegistryView {
  marketplaces: RegistryEntry[];
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface GovernanceRequest {
  /** The org whose admin proposes the change (or reads). */
  org: PeerOrgSpec;
  /** Other orgs' peers and the orderer, from their bundles, when acting from the org's own host. */
  remote: RemoteNodes;
  progress: (line: string) => void;
}

export async function readRegistry(org: PeerOrgSpec): Promise<MarketplaceRegistryView> {
  return (await queryJson(org, ['readMarketplaces'])) as MarketplaceRegistryView;
}

/**
 * The peers that endorse a change: the proposing org's and those the bundles name, or, without
 * bundles, every governing member this host's topology knows.
 */
function endorsersOf(request: GovernanceRequest, registry: MarketplaceRegistryView): PeerOrgSpec[] {
  const bundled = Object.keys(request.remote.peers ?? {});
  const names =
    bundled.length > 0
      ? bundled
      : [
          ...registry.marketplaces.filter((entry) => entry.status === 'active').map((entry) => entry.name),
          GOVERNING_ORG,
        ];
  const endorsers = [request.org, ...names.map((name) => peerOrg(name))];
  return endorsers.filter(
    (org, index) => endorsers.findIndex((other) => other.mspId === org.mspId) === index,
  );
}

async function govern(request: GovernanceRequest, args: string[]): Promise<MarketplaceRegistryView> {
  const registry = await readRegistry(request.org);
  const endorsers = endorsersOf(request, registry);
  request.progress(
    `submitting ${args[0] ?? ''} as ${request.org.name}'s admin, endorsed by ${endorsers.map((org) => org.name).join(', ')}`,
  );
  await invokeAndWait(request.org, endorsers, args, request.remote);
  return readRegistry(request.org);
}

/** Registers the channel's marketplaces (every application org but the governing one), once. */
export async function registerFounding(request: GovernanceRequest): Promise<MarketplaceRegistryView> {
  const current = await readRegistry(request.org);
  if (current.marketplaces.length > 0)
    throw new OperatorError(
      'MARKETPLACES_REGISTERED',
      'the founding marketplaces are registered already; add one with `marketplace add`',
      EXIT_USAGE,
    );
  request.progress(`reading the channel's orgs through ${request.org.name}'s peer`);
  const founding = (await fetchChannelMembers(request.org)).orgs
    .filter((member) => member.kind === 'application' && member.name !== GOVERNING_ORG)
    .map((member) => ({ name: member.name, mspId: member.msp.mspId }));
  const all = endorsersOf(request, {
    marketplaces: founding.map((entry) => ({ ...entry, status: 'active', updatedAt: '', updatedBy: '' })),
    updatedAt: null,
    updatedBy: null,
  });
  request.progress(
    `registering ${founding.map((entry) => entry.name).join(', ')} as the founding marketplaces`,
  );
  await invokeAndWait(
    request.org,
    all,
    ['registerFoundingMarketplaces', JSON.stringify(founding)],
    request.remote,
  );
  return readRegistry(request.org);
}

export function addMarketplace(request: GovernanceRequest, name: string): Promise<MarketplaceRegistryView> {
  return govern(request, ['addMarketplace', JSON.stringify({ name, mspId: mspIdOf(name) })]);
}

export function setMarketplaceStatus(
  request: GovernanceRequest,
  name: string,
  change: 'suspend' | 'reinstate',
): Promise<MarketplaceRegistryView> {
  return govern(request, [change === 'suspend' ? 'suspendMarketplace' : 'reinstateMarketplace', name]);
}

/** The registry as a table for people. */
export function formatRegistry(view: MarketplaceRegistryView): string {
  if (view.marketplaces.length === 0) return 'no marketplace is registered yet\n';
  const rows = view.marketplaces.map((entry) => [
    entry.name,
    entry.mspId,
    entry.status,
    entry.updatedAt,
    entry.updatedBy,
  ]);
  return `${table(['marketplace', 'msp id', 'status', 'updated', 'by'], rows).join('\n')}\n`;
}
