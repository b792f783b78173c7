// The escrow's live tests need the Fabric network only (CAs, orderers, peers, chaincode servers),
// not the rest of the stack, so they check exactly those daemons before running.
import { caServiceName } from '../network/certificateAuthority';
import { chaincodeServerName, chaincodeServerOrgs } from '../network/chaincodeDeployment';
import { peerServiceName } from '../network/fabricNodes';
import { allOrgNames, ordererOrg, peerOrgs } from '../network/topology';
import type { Runner } from '../runner/runner';
import { requireRunningNetwork } from './liveNetwork';

export function fabricDaemonNames(): string[] {
  return [
    ...allOrgNames.map(caServiceName),
    ...ordererOrg.nodes,
    ...peerOrgs.map(peerServiceName),
    ...chaincodeServerOrgs().map(chaincodeServerName),
  ];
}

/** Fails fast with a clear message when a Fabric daemon is not healthy. */
export async function requireFabricNetwork(): Promise<Runner> {
  return requireRunningNetwork(fabricDaemonNames());
}
