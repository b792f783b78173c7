// THE list of everything the system runs: every daemon and setup task, with its dependencies.
// `npm start` brings this list up; `npm stop` takes it down.
import { caDaemon, cryptoTask } from './network/certificateAuthority';
import { ordererChannelTask, peerChannelTask } from './network/channel';
import {
  networkReadyTask,
  chaincodeServerDaemon,
  chaincodeServerName,
  chaincodeServerOrgs,
  deployTask,
  packageTask,
} from './network/chaincodeDeployment';
import { endProcess, loadRecord } from './runner/processTable';
import { ordererDaemon, peerDaemon, peerServiceName } from './network/fabricNodes';
import { allOrgNames, ordererOrg, peerOrgs } from './network/topology';
import { kafkaDaemon } from './platform/kafka';
import { kafkaAccessTask } from './platform/kafkaAccess';
import { offchainServices } from './offchain/offchainServices';
import { keycloakDaemon } from './platform/keycloak';
import { postgresDaemon, postgresDatabasesTask } from './platform/postgres';
import { redisDaemon } from './platform/redis';
import { gatewayDaemon, gatewayOrgs } from './gateway/gatewayDaemon';
import { stripeMockDaemon } from './payments/stripeMock';
import type { ServiceSpec } from './runner/serviceSpec';

export function systemServices(): ServiceSpec[] {
  const cryptoTaskOf = (org: string) => `crypto-${org.toLowerCase()}`;
  const ordererNodes = ordererOrg.nodes;
  return [
    ...allOrgNames.map(caDaemon),
    ...allOrgNames.map(cryptoTask),
    ...ordererNodes.map((node) => ordererDaemon(node, cryptoTaskOf(ordererOrg.name))),
    ...peerOrgs.map((org) => peerDaemon(org, cryptoTaskOf(org.name))),
    ordererChannelTask(ordererNodes, allOrgNames.map(cryptoTaskOf)),
    peerChannelTask(peerOrgs.map(peerServiceName)),
    packageTask(),
    deployTask(async () => {
      for (const name of chaincodeServerOrgs().map(chaincodeServerName)) {
        const record = loadRecord(name);
        if (record !== undefined) await endProcess(record);
      }
    }),
    ...chaincodeServerOrgs().map(chaincodeServerDaemon),
    networkReadyTask(chaincodeServerOrgs().map(chaincodeServerName)),
    // Data and identity services: independent of the Fabric nodes, so they start alongside them.
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
    keycloakDaemon(),
  ];
}
