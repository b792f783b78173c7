// The escrow's live tests need the Fabric network only (CAs, orderers, peers, chaincode servers),
// not the rest of the stack, so they check exactly those daemons before running.
import { caServiceName } from '../network/certificateAuthority';
import { chaincodeServerName } from '../network/chaincodeDeployment';
import { peerServiceName } from '../network/fabricNodes';
import { allOrgNames, ordererOrg, peerOrgs } from '../network/topology';
import { liveRunner } from './liveNetwork';

export function fabricDaemonNames(): string[] {
  return [
    ...allOrgNames.map(caServiceName),
    ...ordererOrg.nodes,
    ...peerOrgs.map(peerServiceName),
    ...peerOrgs.map(chaincodeServerName),
  ];
}

/** Fails fast with a clear message when a Fabric daemon is not healthy. */
export async function requireFabricNetwork(): Promise<void> {
  const runner = liveRunner();
  const wanted = new Set(fabricDaemonNames());
  const daemons = runner.daemons().filter((daemon) => wanted.has(daemon.name));
  const missing = [...wanted].filter((name) => !daemons.some((daemon) => daemon.name === name));
  if (missing.length > 0) throw new Error(`no such services in the runner: ${missing.join(', ')}`);
  const down: string[] = [];
  for (const daemon of daemons) {
    if (!(await runner.isHealthy(daemon))) down.push(daemon.name);
  }
  if (down.length > 0) {
    throw new Error(`the Fabric network is not running (${down.join(', ')} down): run \`npm start\` first`);
  }
}
