// The dev and operator runner's face, for the test kit, the live tests and the benchmarks only: where
// the local consortium's nodes, keys and services are, and the runner that starts and watches them.
// No service imports this package; services are handed their configuration by the runner.

// Layout of this machine's consortium: paths, ports, topology, identities.
export {
  cacheDir,
  fabricBinDir,
  fabricCaBinDir,
  postgresBinDir,
  repoRoot,
  schemathesisBin,
  stateDir,
} from './env/paths';
export { endpoint, portPlan, portsOf, type PortPlan } from './env/portPlan';
export { readVersions } from './env/versions';
export { CommandFailedError, runCommand } from './env/command';
export {
  allOrgNames,
  foundingMarketplaces,
  caCertPath,
  caUrl,
  channelName,
  identityDir,
  nodeDir,
  ordererOrg,
  peerEndpoint,
  peerOrg,
  joiningOrgs,
  peerOrgs,
  topology,
  type IdentitySpec,
  type PeerOrgSpec,
} from './network/topology';
export {
  bootstrapCredentialPaths,
  caServiceName,
  enrollOrgIdentity,
  gatewayRegistrarAttributes,
  gatewayRegistrarId,
} from './network/certificateAuthority';
export { chaincodeName, chaincodeServerName, chaincodeServerOrgs } from './network/chaincodeDeployment';
export { peerServiceName } from './network/fabricNodes';
export { osnadmin } from './network/fabricCli';
export { revocationListOf } from './network/mspRevocation';
export { raftLeader } from './network/channel';
export { localMspFolders, localProofTrust } from './network/proofTrust';
export {
  channelMembersOf,
  configOfBlock,
  fetchChannelMembers,
  fetchDecodedConfigBlock,
  type ChannelMembers,
  type ChannelMsp,
} from './network/channelConfig';
export { fetchOperations, operationsUrl } from './network/operationsEndpoint';

// Platform services and their endpoints.
export { kafkaBootstrap, kafkaServiceName } from './platform/kafka';
export {
  escrowDeadLetterTopic,
  escrowEventsTopic,
  kafkaConnectionOf,
  readerGroupPrefix,
  securityEventsTopic,
} from './platform/kafkaAccess';
export { kafkaClientSettings, type KafkaClientSettings, type KafkaUser } from './platform/kafkaUsers';
export { eventSigningKeyFile, eventVerifyKeyFile } from './offchain/eventSigningKeys';
export {
  backendClients,
  backendClientSecret,
  keycloakAdminPassword,
  keycloakAdminUser,
  keycloakUrl,
  orgOfBackendClient,
  orgRealm,
  realmFile,
  realmNameOf,
  realmOrgs,
  realmUrlOf,
} from './platform/keycloak';
export { keycloakAdminToken } from './platform/keycloakAdmin';
export { base32, demoUser, demoUsers, type DemoUser as RealmUser } from './platform/demoUsers';
export {
  escrowServiceRole,
  escrowServices,
  escrowServiceUrl,
  gatewayDatabaseRole,
  gatewayDatabaseSchema,
  gatewayDatabaseUrl,
  paymentsDatabaseRole,
  paymentsDatabaseSchema,
  paymentsDatabaseUrl,
  postgresCaFile,
  postgresUrl,
  postgresRoleUrl,
  projectionDatabase,
  projectionMirrorRole,
  projectionOwnerUrl,
  type EscrowService,
} from './platform/postgres';
export {
  stripeEnvironment,
  stripeMockDaemon,
  stripeMockServiceName,
  stripeWebhookSecret,
} from './payments/stripeMock';
export {
  paymentsEnvironment,
  paymentsIdentityOf,
  paymentsOrgs,
  paymentsServiceName,
  paymentsServiceUrl,
  providerWebhookPath,
  identityWebhookPath,
} from './payments/paymentsService';
export {
  paymentsDatabaseEnv,
  settlementDaemon,
  settlementEnv,
  settlementOpsUrl,
  settlementOrgs,
  settlementServiceName,
} from './payments/settlementDaemon';
export {
  defaultRulesFile,
  RISK_IDENTITY,
  riskDatabaseEnv,
  riskOpsUrl,
  riskRulesFile,
  riskServiceName,
} from './risk/riskDaemon';
export { riskGroupId } from './platform/kafkaAccess';
export { redisAddress, redisPassword, redisUrl, redisUsers, type RedisUser } from './platform/redis';
export { serviceClientTls, serviceServerTls, serviceTlsCaFile, serviceTlsDir } from './platform/serviceTls';
export { localFetch, operationsClientIdentity, type LocalFetchOptions } from './platform/localHttps';
export * from './offchain/offchainServices';
export * from './offchain/securityEvents';
export * from './platform/databaseMigrations';
export * from './gateway/gatewayDaemon';

// The runner: the service list, health checks, the process table.
export { systemServices } from './services';
export { DependencyDownError, Runner, ServiceStartError, type Progress } from './runner/runner';
export { describeHealth, probe, waitUntil } from './runner/health';
export { endProcess, isRunning, listRecords, loadRecord, type ProcessRecord } from './runner/processTable';
export type { DaemonSpec, ServiceSpec, TaskSpec } from './runner/serviceSpec';
