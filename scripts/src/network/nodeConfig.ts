// Writes each node's core.yaml / orderer.yaml: Fabric's sampleconfig with this node's addresses,
// TLS material, MSP and data folders set. Rewritten on every start so the port plan stays the truth.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { ccaasBuilderDir, fabricSampleConfigDir, stateDir } from '../env/paths';
import { endpoint, portPlan, portsOf } from '../env/portPlan';
import { serviceServerTls, serviceTlsCaFile } from '../platform/serviceTls';
import { peerProfileAddress } from './peerProfiling';
import { caCertPath, nodeDir, ordererOrg, peerEndpoint, tlsFiles, type PeerOrgSpec } from './topology';

type YamlDocument = ReturnType<typeof YAML.parseDocument>;

/** How often a peer pings the orderer it pulls blocks from, and how long it waits for the answer. */
const DELIVERY_KEEPALIVE_SECONDS = 5;

function loadSample(file: string): YamlDocument {
  return YAML.parseDocument(fs.readFileSync(path.join(fabricSampleConfigDir, file), 'utf8'));
}

export function nodeConfigDir(node: string): string {
  return path.join(stateDir, 'nodes', node, 'config');
}

export function nodeDataDir(node: string): string {
  return path.join(stateDir, 'nodes', node, 'data');
}

function writeDocument(node: string, file: string, document: YamlDocument): void {
  const dir = nodeConfigDir(node);
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(nodeDataDir(node), { recursive: true });
  fs.writeFileSync(path.join(dir, file), document.toString());
}

export function writePeerConfig(org: PeerOrgSpec): void {
  const ports = portsOf(portPlan.peer, org.name);
  const dir = nodeDir(org.name, org.peer);
  const tls = tlsFiles(dir);
  const self = peerEndpoint(org.name);
  const doc = loadSample('core.yaml');
  doc.setIn(['peer', 'id'], org.peer);
  doc.setIn(['peer', 'networkId'], 'p2p-escrow');
  doc.setIn(['peer', 'listenAddress'], self);
  doc.setIn(['peer', 'address'], self);
  doc.setIn(['peer', 'chaincodeListenAddress'], endpoint(ports.chaincodeListen));
  doc.setIn(['peer', 'gossip', 'bootstrap'], self);
  doc.setIn(['peer', 'gossip', 'endpoint'], self);
  doc.setIn(['peer', 'gossip', 'externalEndpoint'], self);
  // Peers start before they join the channel, so the first probe of another org's anchor peer can
  // fail; retry it every few seconds rather than the default 25.
  doc.setIn(['peer', 'gossip', 'reconnectInterval'], '4s');
  // A peer pulls blocks from one orderer; when that orderer's host drops off the network (no reset,
  // just silence) the peer notices only by keepalive. Ping it every 5 s rather than every minute, so
  // the peer moves to another orderer within seconds (the orderers accept pings that often).
  doc.setIn(['peer', 'keepalive', 'deliveryClient', 'interval'], `${String(DELIVERY_KEEPALIVE_SECONDS)}s`);
  doc.setIn(['peer', 'keepalive', 'deliveryClient', 'timeout'], `${String(DELIVERY_KEEPALIVE_SECONDS)}s`);
  doc.setIn(['peer', 'tls', 'enabled'], true);
  doc.setIn(['peer', 'tls', 'cert', 'file'], tls.cert);
  doc.setIn(['peer', 'tls', 'key', 'file'], tls.key);
  doc.setIn(['peer', 'tls', 'rootcert', 'file'], tls.ca);
  doc.setIn(['peer', 'tls', 'clientCert', 'file'], tls.cert);
  doc.setIn(['peer', 'tls', 'clientKey', 'file'], tls.key);
  doc.setIn(['peer', 'fileSystemPath'], nodeDataDir(org.peer));
  doc.setIn(['peer', 'mspConfigPath'], path.join(dir, 'msp'));
  doc.setIn(['peer', 'localMspId'], org.mspId);
  doc.setIn(['ledger', 'state', 'stateDatabase'], 'goleveldb');
  // No Docker here: chaincode runs as a service, reached through our CCaaS builder.
  doc.setIn(['vm', 'endpoint'], '');
  doc.setIn(
    ['chaincode', 'externalBuilders'],
    doc.createNode([
      {
        name: 'ccaas',
        path: ccaasBuilderDir,
        propagateEnvironment: ['CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG'],
      },
    ]),
  );
  // A chaincode server that does not answer within this is reported, rather than waited on for 5 minutes.
  doc.setIn(['chaincode', 'startuptimeout'], '60s');
  doc.setIn(['operations', 'listenAddress'], endpoint(ports.operations));
  // Operations over TLS from the local CA, every request with a client certificate of that CA: PUT
  // /logspec changes the node's logging, /metrics tells its load.
  const operations = serviceServerTls(org.peer, [portPlan.host]);
  doc.setIn(['operations', 'tls', 'enabled'], true);
  doc.setIn(['operations', 'tls', 'cert', 'file'], operations.certPath);
  doc.setIn(['operations', 'tls', 'key', 'file'], operations.keyPath);
  doc.setIn(['operations', 'tls', 'clientAuthRequired'], true);
  doc.setIn(['operations', 'tls', 'clientRootCAs', 'files'], doc.createNode([serviceTlsCaFile]));
  doc.setIn(['metrics', 'provider'], 'prometheus');
  const profile = peerProfileAddress(ports.profile);
  doc.setIn(['peer', 'profile', 'enabled'], profile !== undefined);
  if (profile !== undefined) doc.setIn(['peer', 'profile', 'listenAddress'], profile);
  writeDocument(org.peer, 'core.yaml', doc);
}

export function writeOrdererConfig(node: string): void {
  const ports = portsOf(portPlan.orderer, node);
  const dir = nodeDir(ordererOrg.name, node);
  const tls = tlsFiles(dir);
  const doc = loadSample('orderer.yaml');
  doc.setIn(['General', 'ListenAddress'], portPlan.host);
  doc.setIn(['General', 'ListenPort'], ports.listen);
  doc.setIn(['General', 'TLS', 'Enabled'], true);
  doc.setIn(['General', 'TLS', 'PrivateKey'], tls.key);
  doc.setIn(['General', 'TLS', 'Certificate'], tls.cert);
  doc.setIn(['General', 'TLS', 'RootCAs'], doc.createNode([tls.ca]));
  doc.setIn(['General', 'Cluster', 'ClientCertificate'], tls.cert);
  doc.setIn(['General', 'Cluster', 'ClientPrivateKey'], tls.key);
  doc.setIn(['General', 'BootstrapMethod'], 'none');
  doc.setIn(['General', 'Keepalive', 'ServerMinInterval'], `${String(DELIVERY_KEEPALIVE_SECONDS)}s`);
  doc.setIn(['General', 'LocalMSPDir'], path.join(dir, 'msp'));
  doc.setIn(['General', 'LocalMSPID'], ordererOrg.mspId);
  doc.setIn(['FileLedger', 'Location'], path.join(nodeDataDir(node), 'ledger'));
  doc.setIn(['Consensus', 'WALDir'], path.join(nodeDataDir(node), 'etcdraft', 'wal'));
  doc.setIn(['Consensus', 'SnapDir'], path.join(nodeDataDir(node), 'etcdraft', 'snapshot'));
  doc.setIn(['Operations', 'ListenAddress'], endpoint(ports.operations));
  // As the peers': TLS from the local CA and a client certificate of it on every request.
  const operations = serviceServerTls(node, [portPlan.host]);
  doc.setIn(['Operations', 'TLS', 'Enabled'], true);
  doc.setIn(['Operations', 'TLS', 'Certificate'], operations.certPath);
  doc.setIn(['Operations', 'TLS', 'PrivateKey'], operations.keyPath);
  doc.setIn(['Operations', 'TLS', 'ClientAuthRequired'], true);
  doc.setIn(['Operations', 'TLS', 'ClientRootCAs'], doc.createNode([serviceTlsCaFile]));
  doc.setIn(['Metrics', 'Provider'], 'prometheus');
  doc.setIn(['Admin', 'ListenAddress'], endpoint(ports.admin));
  doc.setIn(['Admin', 'TLS', 'Enabled'], true);
  doc.setIn(['Admin', 'TLS', 'Certificate'], tls.cert);
  doc.setIn(['Admin', 'TLS', 'PrivateKey'], tls.key);
  doc.setIn(['Admin', 'TLS', 'ClientAuthRequired'], true);
  doc.setIn(['Admin', 'TLS', 'ClientRootCAs'], doc.createNode([caCertPath(ordererOrg.name)]));
  doc.setIn(['ChannelParticipation', 'Enabled'], true);
  writeDocument(node, 'orderer.yaml', doc);
}
