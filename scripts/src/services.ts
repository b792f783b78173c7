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
import { databaseMigrateTask } from './platform/databaseMigrations';
import { allOrgNames, ordererOrg, peerOrg, peerOrgs, type PeerOrgSpec } from './network/topology';
import { kafkaDaemon } from './platform/kafka';
import { kafkaAccessTask } from './platform/kafkaAccess';
import { keeperDaemon, mirrorDaemon, offchainServices, orgMirrorDaemon } from './offchain/offchainServices';
import { consoleClientsTask } from './platform/consoleClients';
import { keycloakDaemon } from './platform/keycloak';
import {
  hasOwnProjection,
  postgresDaemon,
  postgresDatabasesTask,
  postgresDatabasesTaskName,
  type PostgresTenants,
} from './platform/postgres';
import { redisDaemon, redisServiceName } from './platform/redis';
import { gatewayDaemon } from './gateway/gatewayDaemon';
import { keycloakServiceName } from './platform/keycloak';
import { paymentsOrgs, paymentsServiceDaemon } from './payments/paymentsService';
import { stripeMockDaemon } from './payments/stripeMock';
import { settlementDaemon, settlementOrgs } from './payments/settlementDaemon';
import { riskDaemon } from './risk/riskDaemon';
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
 * What an org runs besides its Fabric nodes, once `ready` (the steps after which its peer serves the
 * channel's chaincode) and `identityProvider` (where its gateway's realm lives, when on this host)
 * are done: a marketplace, its own projection (its mirror, reading its own peer as its own org) and
 * its gateway; Oversight, its gateway for arbiters and auditors, the keeper and the auditor's mirror.
 */
function orgApplicationServices(
  org: PeerOrgSpec,
  ready: readonly string[],
  identityProvider: readonly string[],
  reached?: readonly string[],
): ServiceSpec[] {
  const gateway = gatewayDaemon(
    org.name,
    [...ready, postgresDatabasesTaskName, redisServiceName, ...identityProvider],
    reached,
  );
  if (!hasOwnProjection(org.name)) return [gateway, mirrorDaemon(ready), keeperDaemon(ready)];
  return [orgMirrorDaemon(org.name, [...ready]), gateway];
}

/** The orgs whose gateway schemas and projection databases one PostgreSQL cluster holds. */
function tenantsOf(orgs: readonly string[]): PostgresTenants {
  return { gatewayOrgs: orgs, projectionOrgs: orgs.filter(hasOwnProjection) };
}

/** One deployment's data services: PostgreSQL with its roles, databases and migrations, and Redis. */
function dataServices(tenants: PostgresTenants): ServiceSpec[] {
  return [
    postgresDaemon(tenants),
    postgresDatabasesTask(tenants),
    databaseMigrateTask(tenants),
    redisDaemon(),
  ];
}

/** `nodes`: an org's Fabric nodes alone; `deployment`: everything the org runs on its own host. */
export type OrgPart = 'nodes' | 'deployment';

/**
 * One org's part of a consortium spread over hosts, run from that org's own state directory: its
 * Fabric nodes and, for a peer org, the escrow package installed on its peer, its own chaincode
 * server and (the whole `deployment`) its own PostgreSQL and Redis, projection and gateway. The
 * channel, the chaincode definition and the other orgs are the operator commands' work; the
 * projection follows the org's peer, so the deployment starts once that peer joined the channel.
 */
export function orgServices(
  orgName: string,
  ordererNodes?: readonly string[],
  part: OrgPart = 'deployment',
): ServiceSpec[] {
  if (orgName === ordererOrg.name) return ordererOrgServices(ordererNodes);
  const org = peerOrg(orgName);
  const nodes = [packageTask(), installTask(org), ...peerOrgServices(org, 'chaincode-install')];
  if (part === 'nodes') return nodes;
  const ready = [peerServiceName(org), chaincodeServerName(org)];
  // Its gateway knows its own peer alone: the other orgs' TLS roots are not in its state directory.
  return [
    ...nodes,
    ...dataServices(tenantsOf([org.name])),
    ...orgApplicationServices(org, ready, [], [org.name]),
  ];
}

/**
 * The orgs' identity provider on a host of its own: Keycloak with one realm per peer org, and the
 * PostgreSQL cluster holding its database (no org's gateway schema or projection).
 */
export function identityProviderServices(): ServiceSpec[] {
  const tenants = tenantsOf([]);
  return [postgresDaemon(tenants), postgresDatabasesTask(tenants), keycloakDaemon()];
}

/** Services the orgs of the local demo share: one PostgreSQL and Redis, messaging, identity, payments, risk. */
function platformServices(tenants: PostgresTenants): ServiceSpec[] {
  return [
    ...dataServices(tenants),
    stripeMockDaemon(),
    ...paymentsOrgs.map((org) => paymentsServiceDaemon(org, 'network-ready')),
    kafkaDaemon(),
    kafkaAccessTask(),
    ...offchainServices(),
    ...settlementOrgs().map((org) => settlementDaemon(org, 'network-ready')),
    riskDaemon('network-ready'),
    keycloakDaemon(),
    consoleClientsTask(),
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
    // Each org's projection and gateway, side by side, once the network is ready.
    ...peerOrgs.flatMap((org) => orgApplicationServices(org, ['network-ready'], [keycloakServiceName])),
    // Data and identity services: independent of the Fabric nodes, so they start alongside them.
    ...platformServices(tenantsOf(peerOrgs.map((org) => org.name))),
  ];
}
