// The escrow's live tests need the Fabric network only (CAs, orderers, peers, chaincode servers),
// not the rest of the stack, so they check exactly those daemons before running.
import {
  allOrgNames,
  caServiceName,
  chaincodeServerName,
  chaincodeServerOrgs,
  ordererOrg,
  peerOrgs,
  peerServiceName,
  type Runner,
} from '@p2p-escrow/scripts';
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
