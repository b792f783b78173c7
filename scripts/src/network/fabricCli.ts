// The environment and TLS flags each Fabric CLI needs to act as an org's admin.
import * as path from 'node:path';
import { fabricBin, fabricSampleConfigDir } from '../env/paths';
import { endpoint, portPlan, portsOf } from '../env/portPlan';
import { runCommand } from '../env/command';
import {
  caCertPath,
  identityDir,
  ordererEndpoint,
  ordererOrg,
  peerEndpoint,
  tlsFiles,
  type PeerOrgSpec,
} from './topology';

export function adminIdentityId(org: PeerOrgSpec): string {
  const admin = org.identities.find((identity) => identity.type === 'admin');
  if (admin === undefined) throw new Error(`${org.name} has no admin identity in network/topology.json`);
  return admin.id;
}

export interface PeerCliOptions {
  /** Another peer of the org than the one the port plan names (an operator's own host). */
  address?: string;
  timeoutMs?: number;
}

/** Runs `peer ...` as the org's admin against the org's own peer. */
export function peerCli(org: PeerOrgSpec, args: string[], options: PeerCliOptions = {}): Promise<string> {
  return runCommand(fabricBin('peer'), args, {
    env: {
      FABRIC_CFG_PATH: fabricSampleConfigDir,
      FABRIC_LOGGING_SPEC: 'warn',
      CORE_PEER_LOCALMSPID: org.mspId,
      CORE_PEER_MSPCONFIGPATH: path.join(identityDir(org.name, adminIdentityId(org)), 'msp'),
      CORE_PEER_ADDRESS: options.address ?? peerEndpoint(org.name),
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_PEER_TLS_ROOTCERT_FILE: caCertPath(org.name),
    },
    timeoutMs: options.timeoutMs ?? 300_000,
  });
}

/** Runs `configtxlator ...`, Fabric's own translator between configuration protobufs and JSON. */
export function configtxlator(args: string[]): Promise<string> {
  return runCommand(fabricBin('configtxlator'), args);
}

/**
 * A node of another org on its own host, as that org's public bundle names it: where it listens and
 * the CA certificate its TLS certificate chains to.
 */
export interface RemoteNode {
  address: string;
  tlsCaFile: string;
}

/**
 * Flags that reach the ordering service over TLS: `orderer` (an address, or a node another org's
 * bundle names), or the port plan's first orderer with the orderer org's CA from the state directory.
 */
export function ordererFlags(orderer?: string | RemoteNode): string[] {
  const first = ordererOrg.nodes[0] ?? 'orderer1';
  const remote = typeof orderer === 'string' ? undefined : orderer;
  const address = typeof orderer === 'string' ? orderer : (orderer?.address ?? ordererEndpoint(first));
  return ['-o', address, '--tls', '--cafile', remote?.tlsCaFile ?? caCertPath(ordererOrg.name)];
}

/** Runs `osnadmin channel ...` against one orderer's admin endpoint, with the orderer admin's TLS client cert. */
export function osnadmin(node: string, args: string[]): Promise<string> {
  const admin = tlsFiles(identityDir(ordererOrg.name, 'orderer-admin'));
  return runCommand(fabricBin('osnadmin'), [
    'channel',
    ...args,
    '-o',
    endpoint(portsOf(portPlan.orderer, node).admin),
    '--ca-file',
    caCertPath(ordererOrg.name),
    '--client-cert',
    admin.cert,
    '--client-key',
    admin.key,
  ]);
}
