// THE list of everything the system runs: every daemon and setup task, with its dependencies, built
// per org (an org is a unit of deployment) and assembled into the demo consortium that `npm start`
// brings up and `npm stop` takes down. `orgServices` is one org's part alone, run on its own host.
import { caDaemon, cryptoTask } from './network/certificateAuthority';
import { ordererChannelTask, peerChannelTask } from './network/channel';
import {
  networkReadyTask,
  chaincodeServerDaemon,
  chaincodeServerName,
  chaincodeServerOrgs,
  deployTask,
  installTask,
  packageTask,
} from './network/chaincodeDeployment';
import { endProcess, loadRecord } from './runner/processTable';
import { ordererDaemon, peerDaemon, peerServiceName } from './network/fabricNodes';
import { allOrgNames, ordererOrg, peerOrg, peerOrgs, type PeerOrgSpec } from './network/topology';
import { kafkaDaemon } from './platform/kafka';
import { kafkaAccessTask } from './platform/kafkaAccess';
import { offchainServices } from './offchain/offchainServices';
import { keycloakDaemon } from './platform/keycloak';
import { postgresDaemon, postgresDatabasesTask } from './platform/postgres';
import { redisDaemon } from './platform/redis';
import { gatewayDaemon, gatewayOrgs } from './gateway/gatewayDaemon';
import { stripeMockDaemon } from './payments/stripeMock';
import { settlementDaemon, settlementOrgs } from './payments/settlementDaemon';
import type { ServiceSpec } from './runner/serviceSpec';

const cryptoTaskOf = (org: string) => `crypto-${org.toLowerCase()}`;

/**
 * The orderer org's Fabric services: its CA with the enrollment of its nodes, and its Raft orderers
 * (`nodes`: those that run on this host; the CA runs where all of them do, or where none is named).
 */
export function ordererOrgServices(nodes: readonly string[] = ordererOrg.nodes): ServiceSpec[] {
  const withCa = nodes.length === ordererOrg.nodes.length;
  return [
    ...(withCa ? [caDaemon(ordererOrg.name), cryptoTask(ordererOrg.name)] : []),
    ...nodes.map((node) => ordererDaemon(node, withCa ? [cryptoTaskOf(ordererOrg.name)] : [])),
  ];
}

/**
 * A peer org's Fabric services: its CA with the enrollment of its identities, its peer and, when it
 * runs one, its chaincode server, started once `chaincodeReady` (install or deploy) is done.
 */
function peerOrgFabricServices(
  org: PeerOrgSpec,
  chaincodeReady: string,
  runsChaincodeServer: boolean,
): ServiceSpec[] {
  return [
    caDaemon(org.name),
    cryptoTask(org.name),
    peerDaemon(org, [cryptoTaskOf(org.name)]),
    ...(runsChaincodeServer ? [chaincodeServerDaemon(org, chaincodeReady)] : []),
  ];
}

/** A marketplace's Fabric services: its CA, peer and chaincode server. */
export function marketplaceFabricServices(
  org: PeerOrgSpec,
  chaincodeReady: string,
  runsChaincodeServer = true,
): ServiceSpec[] {
  return peerOrgFabricServices(org, chaincodeReady, runsChaincodeServer);
}

/** Oversight's Fabric services: its CA, peer and chaincode server. */
export function oversightFabricServices(
  org: PeerOrgSpec,
  chaincodeReady: string,
  runsChaincodeServer = true,
): ServiceSpec[] {
  return peerOrgFabricServices(org, chaincodeReady, runsChaincodeServer);
}

const OVERSIGHT = 'Oversight';

function peerOrgServices(org: PeerOrgSpec, chaincodeReady: string, runsChaincodeServer = true) {
  return org.name === OVERSIGHT
    ? oversightFabricServices(org, chaincodeReady, runsChaincodeServer)
    : marketplaceFabricServices(org, chaincodeReady, runsChaincodeServer);
}

/**
 * One org's part of a consortium spread over hosts, run from that org's own state directory: its
 * Fabric nodes and, for a peer org, the escrow package installed on its peer and its own chaincode
 * server. The channel, the chaincode definition and the other orgs are the operator commands' work.
 */
export function orgServices(orgName: string, ordererNodes?: readonly string[]): ServiceSpec[] {
  if (orgName === ordererOrg.name) return ordererOrgServices(ordererNodes);
  const org = peerOrg(orgName);
  return [packageTask(), installTask(org), ...peerOrgServices(org, 'chaincode-install')];
}

/** Services every org of the local demo shares: data, identity, messaging, gateway and projection. */
function platformServices(): ServiceSpec[] {
  return [
    postgresDaemon(),
    postgresDatabasesTask(),
    redisDaemon(),
    stripeMockDaemon(),
    ...gatewayOrgs.map((org) =>
      gatewayDaemon(org, ['network-ready', 'postgres-databases', 'redis', 'keycloak']),
    ),
    kafkaDaemon(),
    kafkaAccessTask(),
    ...offchainServices('network-ready'),
    ...settlementOrgs().map((org) => settlementDaemon(org, 'network-ready')),
    keycloakDaemon(),
  ];
}

/** The whole demo consortium on one machine: every org's services, the channel, and the platform. */
export function systemServices(): ServiceSpec[] {
  const servers = new Set(chaincodeServerOrgs().map((org) => org.name));
  return [
    ...ordererOrgServices(),
    ...peerOrgs.flatMap((org) => peerOrgServices(org, 'chaincode-deploy', servers.has(org.name))),
    ordererChannelTask(ordererOrg.nodes, allOrgNames.map(cryptoTaskOf)),
    peerChannelTask(peerOrgs.map(peerServiceName)),
    packageTask(),
    deployTask(async () => {
      for (const name of chaincodeServerOrgs().map(chaincodeServerName)) {
        const record = loadRecord(name);
        if (record !== undefined) await endProcess(record);
      }
    }),
    networkReadyTask(chaincodeServerOrgs().map(chaincodeServerName)),
    // Data and identity services: independent of the Fabric nodes, so they start alongside them.
    ...platformServices(),
  ];
}
