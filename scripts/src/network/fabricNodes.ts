// Daemon entries for the orderers and peers, each configured by nodeConfig.ts before it starts.
import { fabricBin, stateDir } from '../env/paths';
import { portPlan, portsOf } from '../env/portPlan';
import type { DaemonSpec } from '../runner/serviceSpec';
import { builderConfig } from './chaincodeDeployment';
import { operationsHealth } from './operationsEndpoint';
import { nodeConfigDir, writeOrdererConfig, writePeerConfig } from './nodeConfig';
import type { PeerOrgSpec } from './topology';

export function ordererDaemon(node: string, dependsOn: string[]): DaemonSpec {
  const ports = portsOf(portPlan.orderer, node);
  return {
    kind: 'daemon',
    name: node,
    description: `Raft orderer ${node}`,
    dependsOn,
    command: fabricBin('orderer'),
    args: [],
    env: { FABRIC_CFG_PATH: nodeConfigDir(node), FABRIC_LOGGING_SPEC: 'info' },
    cwd: stateDir,
    ports: [ports.listen, ports.admin, ports.operations],
    health: operationsHealth(ports.operations),
    // The operations endpoint answers before these open: the channel join uses the admin endpoint.
    listeners: [ports.listen, ports.admin].map((port) => ({ host: portPlan.host, port })),
    startTimeoutSeconds: 60,
    prepare: () => {
      writeOrdererConfig(node);
      return Promise.resolve();
    },
  };
}

export function peerServiceName(org: PeerOrgSpec): string {
  return `peer-${org.name.toLowerCase()}`;
}

export function peerDaemon(org: PeerOrgSpec, dependsOn: string[]): DaemonSpec {
  const ports = portsOf(portPlan.peer, org.name);
  return {
    kind: 'daemon',
    name: peerServiceName(org),
    description: `peer ${org.peer} of ${org.name}`,
    dependsOn,
    command: fabricBin('peer'),
    args: ['node', 'start'],
    get env() {
      return {
        FABRIC_CFG_PATH: nodeConfigDir(org.peer),
        FABRIC_LOGGING_SPEC: 'info',
        CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG: builderConfig(org),
      };
    },
    cwd: stateDir,
    ports: [ports.listen, ports.chaincodeListen, ports.operations],
    health: operationsHealth(ports.operations),
    // The channel join and every client use the peer's own endpoint, not its operations endpoint.
    listeners: [{ host: portPlan.host, port: ports.listen }],
    startTimeoutSeconds: 60,
    prepare: () => {
      writePeerConfig(org);
      return Promise.resolve();
    },
  };
}
