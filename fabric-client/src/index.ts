// What services and tools share at run time to talk to Fabric: the connection recipe, native
// signing, the block parser, sealed secrets; and how each reaches PostgreSQL (verified TLS).
// Nothing here knows the project's dev layout.
export { DEFAULT_CALL_DEADLINES, type CallDeadlines } from './connection/callDeadlines';
export { connectGateway, FabricConnection } from './connection/gatewayConnection';
export { fabricErrorTexts } from './connection/fabricErrorTexts';
export {
  defaultOfferPolicy,
  offerUntilTaken,
  orderersMayTakeItLater,
  realClock,
  reofferWhileAwaited,
  submitUntilCommitted,
  type OfferClock,
  type OfferObserver,
  type OfferPolicy,
  type Reoffers,
} from './connection/transactionOffer';
export { newPeerClient, PeerClientPool, waitForPeer, type PeerEndpoint } from './connection/peerClient';
export { nativeSigning, UnsupportedSigningKeyError, type FabricSigning } from './signing/nativeSigning';
export {
  mspKeystoreFile,
  signingIdentity,
  signingIdentityFromFiles,
  signingIdentityFromMsp,
  type SigningIdentity,
} from './signing/signingIdentity';
export {
  parseBlock,
  parseBlockAndPrivateData,
  validTransactionsOf,
  type Block,
  type ChaincodeEventRecord,
  type HashedPrivateWrite,
  type KeyWrite,
  type PrivateWrite,
  type ReadWriteSet,
  type Transaction,
} from './blocks/blockParser';
export {
  DEFAULT_PEER_HEIGHT_WAIT,
  PeerBehindError,
  untilPeerHolds,
  type PeerHeightWait,
} from './blocks/peerHeight';
export {
  LocalFileKeyProvider,
  type KeyEncryptionKey,
  type KeyProvider,
  type LocalFileKeyOptions,
} from './secrets/keyProvider';
export {
  isSealedRecord,
  open,
  seal,
  sealedRecordFromText,
  SealedRecordError,
  sealingContext,
  type SealedRecord,
  type SealingPurpose,
} from './secrets/sealedBox';
export {
  chaincodeSettings,
  ConfigError,
  identitySettings,
  ledgerClientOf,
  ledgerClientSettings,
  peerEndpointOf,
  peerSettings,
  readEnvironment,
  setting,
  type Env,
  type LedgerClientConfig,
} from './config/environment';
export {
  CertificateNameError,
  isCertificateName,
  prepareClientTls,
  prepareServerTls,
  readServerTls,
  type LocalTls,
} from './tls/localTls';
export {
  databaseConnectionOf,
  databasePoolConfig,
  databaseSettings,
  type DatabaseConnection,
  type DatabasePoolConfig,
} from './database/databaseConnection';
// Audit proofs: the pure verifier (its own package, portable to the browser; re-exported so Node
// services keep one import), the bundle's assembly from a peer's qscc, and the comparison of its latest
// block with other orgs' peers.
export {
  anyTwoPeersOf,
  describePolicy,
  escrowKeyOf,
  organizationMaterial,
  PROOF_ERROR_CODES,
  PROOF_FORMAT,
  proofBundleFrom,
  ProofError,
  verifyProof,
  type OrganizationMaterial,
  type PolicyRule,
  type PrincipalRole,
  type ProofBundle,
  type ProofErrorCode,
  type ProofTransition,
  type ProofTrust,
  type VerifiedProof,
  type VerifiedTransition,
} from '@p2p-escrow/proof-verifier';
export { organizationMaterialFromMsp } from './proofs/mspMaterial';
export {
  assembleProof,
  ProofTooLongError,
  type BlockSource,
  type ProofRequest,
} from './proofs/proofAssembly';
export { compareLatestBlock, type NamedBlockSource, type PeerReport } from './proofs/peerAgreement';
export { qsccBlockSource } from './proofs/qsccBlockSource';

// Security events for the SOC: the one schema (SECURITY-EVENTS.md), its reader, the non-blocking
// emitter every service (and operator command) records them with, and the JSON-lines file sink.
export * from './security/securityEvent';
export {
  defaultSecurityEmitterOptions,
  SecurityEventEmitter,
  type SecurityDropReason,
  type SecurityEmitterObserver,
  type SecurityEmitterOptions,
  type SecurityEventSink,
} from './security/securityEmitter';
export { JsonLinesSecurityEventSink } from './security/jsonLinesSecurityEventSink';
