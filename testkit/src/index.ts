// One test kit for the live tiers: the running stack, the local consortium's identities, demo users
// and their tokens, escrow trades on the ledger, blocks, the gateway's HTTP client, the off-chain
// projection and its topic. Used by tests and benchmarks only.

// The running stack.
export {
  ensureDaemons,
  liveRunner,
  ordererHeight,
  requireRunningNetwork,
  waitForBlock,
} from './stack/liveNetwork';
export { fabricDaemonNames, requireFabricNetwork } from './stack/fabricReadiness';
export { fabricSuite } from './stack/fabricSuite';
export { eventually, type EventuallyOptions } from './stack/eventually';
export { childHasEnded, childPidsOf, endChild } from './stack/childProcessEnd';
// The security events: each service's JSON-lines file, and the alert webhook's target file and secret.
export {
  alertRulesFile,
  alertWebhookSecret,
  alertWebhookUrlFile,
  alertingServiceName,
  securityEventsFile,
} from '@p2p-escrow/scripts';
export { isRunning, listRecords, loadRecord, type ProcessRecord } from '@p2p-escrow/scripts';
// The ordering service's current Raft leader (from the orderers' metrics), for tests that kill it.
export { raftLeader } from '@p2p-escrow/scripts';
// HTTPS to the local services, trusting the local CA (with a client certificate where one is asked).
export { localFetch, operationsClientIdentity, serviceTlsCaFile } from '@p2p-escrow/scripts';
// The API fuzzer the installer puts in the cache (scripts/install/schemathesis.sh).
export { schemathesisBin } from '@p2p-escrow/scripts';

// Identities and Keycloak.
export { demoUser, demoUsers, type RealmUser } from '@p2p-escrow/scripts';
export {
  clientCredentialsToken,
  issuingOrgOf,
  jwksUrlOf,
  orgOfUser,
  passwordToken,
  tokenEndpointOf,
  TokenRequestError,
  userClientId,
} from './identity/keycloakTokens';
export { oneTimeCodes, OneTimeCodes, totp, totpStep, type TotpOptions } from './identity/totp';
export { addRealmUser, keycloakAdminToken, realmAdminApi, type RealmUserSpec } from './identity/realmAdmin';

// The ledger: connections, trades, refusals, blocks, forged and restamped proposals.
export {
  enrolledIdentity,
  newOrgPeerClient,
  openGateway,
  openGatewayAt,
  peerOf,
  type GatewaySession,
} from './ledger/gatewayConnection';
export * from './ledger/escrowLedger';
export * from './ledger/escrowTrade';
export * from './ledger/blockReader';
export * from './ledger/forgedEndorsement';
export * from './ledger/restampedProposal';
export * from './ledger/itemFixture';

// The authorization matrix: who may do what, as data, and its README rendering.
export * from './authorization/accessMatrix';
export { matrixSection } from './authorization/accessMatrixTables';
export * from './authorization/matrixEscrows';
// Audit proofs: what the local consortium's verifier trusts, and a fetched proof kept as a fixture.
export { localProofTrust } from '@p2p-escrow/scripts';
export { captureProof } from './proofs/proofCapture';

// The gateway over HTTP, and the off-chain projection.
export * from './gateway/gatewayStack';
export * from './gateway/partnerEndpoint';
export * from './offchain/liveOffchain';
export * from './offchain/escrowBurst';
export * from './offchain/daemonReadiness';

// The local payment provider.
export * from './payments/stripeMockStack';
export * from './payments/providerPayments';
export * from './payments/settlementStack';

// The data services' trust boundaries: database roles over TLS, Redis ACL users.
export * from './platform/databaseAccess';
export * from './platform/redisAccess';
