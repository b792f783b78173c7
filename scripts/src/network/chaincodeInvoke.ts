// The governance writes the network setup makes through the peer CLI as an org's admin: a query
// answering JSON, and an invoke endorsed by the named orgs' peers that waits for its commit.
import { ordererFlags, peerCli, type RemoteNode } from './fabricCli';
import { caCertPath, channelName, peerEndpoint, topology, type PeerOrgSpec } from './topology';

/** The ordering service and other orgs' peers as their bundles name them (an operator on its own host). */
export interface RemoteNodes {
  orderer?: RemoteNode;
  /** Other orgs' peers by MSP ID; an org not named here is reached at the port plan's address. */
  peers?: Record<string, RemoteNode>;
}

function chaincodeArgs(args: string[]): string[] {
  return ['-C', channelName, '-n', topology.chaincode.name, '-c', JSON.stringify({ Args: args })];
}

/** The peer CLI's flags naming the peers that endorse (or commit) a transaction. */
export function endorserFlags(endorsers: readonly PeerOrgSpec[], remote: RemoteNodes = {}): string[] {
  return endorsers.flatMap((endorser) => {
    const peer = remote.peers?.[endorser.mspId];
    return [
      '--peerAddresses',
      peer?.address ?? peerEndpoint(endorser.name),
      '--tlsRootCertFiles',
      peer?.tlsCaFile ?? caCertPath(endorser.name),
    ];
  });
}

/** Evaluates `args` on `org`'s peer as its admin and parses the JSON answer. */
export async function queryJson(org: PeerOrgSpec, args: string[]): Promise<unknown> {
  const output = await peerCli(org, ['chaincode', 'query', ...chaincodeArgs(args)]);
  return JSON.parse(output.slice(output.indexOf('{'))) as unknown;
}

/** Submits `args` as `org`'s admin, endorsed by every org of `endorsers`, and waits for the commit. */
export async function invokeAndWait(
  org: PeerOrgSpec,
  endorsers: readonly PeerOrgSpec[],
  args: string[],
  remote: RemoteNodes = {},
): Promise<void> {
  await peerCli(org, [
    'chaincode',
    'invoke',
    ...ordererFlags(remote.orderer),
    ...chaincodeArgs(args),
    ...endorserFlags(endorsers, remote),
    '--waitForEvent',
  ]);
}
