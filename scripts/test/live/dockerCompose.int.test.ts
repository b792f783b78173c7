// Keeps docker-compose.fabric.yml (the network for people who have Docker) in line with the native
// network: Debian's docker-compose accepts it, and its orgs, nodes, channel, published ports and image
// tags are those of network/topology.json, network/ports.json and versions.conf. No Docker engine is
// needed: `docker-compose config` only reads and validates the file.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import {
  allOrgNames,
  caServiceName,
  chaincodeServerName,
  channelName,
  CommandFailedError,
  ordererOrg,
  peerOrgs,
  joiningOrgs,
  portPlan,
  portsOf,
  readVersions,
  repoRoot,
  runCommand,
  topology,
} from '@p2p-escrow/scripts';

const composeFile = path.join(repoRoot, 'docker-compose.fabric.yml');
// The file requires the CAs' registrar password from the environment rather than holding one.
const composeEnv = { P2P_CA_REGISTRAR_SECRET: 'compose-config-check' };

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  container_name?: string;
  hostname?: string;
  environment?: Record<string, string | number | null> | string[];
  ports?: (string | number)[];
}

interface ComposeOrg {
  name: string;
  mspId: string;
  ca: string;
  orderers?: string[];
  peer?: string;
  chaincodeServer?: string;
}

interface ComposeFile {
  'x-p2p-escrow'?: { channel?: string; chaincode?: string; orgs?: ComposeOrg[] };
  services?: Record<string, ComposeService>;
}

function parseCompose(text: string): ComposeFile {
  return YAML.parse(text) as ComposeFile;
}

async function dockerCompose(args: string[], env: Record<string, string> = composeEnv): Promise<string> {
  try {
    return await runCommand('docker-compose', ['-f', composeFile, ...args], { env, cwd: repoRoot });
  } catch (error) {
    if (error instanceof CommandFailedError && /ENOENT/.test(error.stderr)) {
      throw new Error(
        'docker-compose is not installed, so docker-compose.fabric.yml cannot be validated: ' +
          'install it with `apt-get install -y docker-compose` (scripts/install/prerequisites.sh does)',
      );
    }
    throw error;
  }
}

function serviceOf(compose: ComposeFile, name: string): ComposeService {
  const service = compose.services?.[name];
  if (service === undefined) throw new Error(`docker-compose.fabric.yml has no service ${name}`);
  return service;
}

function envOf(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = {};
  const raw = service.environment ?? {};
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const at = entry.indexOf('=');
      if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
    }
  } else {
    for (const [key, value] of Object.entries(raw)) env[key] = value === null ? '' : String(value);
  }
  return env;
}

interface Published {
  host: string;
  hostPort: number;
  containerPort: number;
}

function publishedPorts(service: ComposeService): Published[] {
  return (service.ports ?? []).map((entry) => {
    const match = /^([\d.]+):(\d+):(\d+)(?:\/tcp)?$/.exec(String(entry));
    if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined)
      throw new Error(`port ${String(entry)} is not published as <host ip>:<port>:<port>`);
    return { host: match[1], hostPort: Number(match[2]), containerPort: Number(match[3]) };
  });
}

/** Every service the file must have, with the ports of network/ports.json it publishes. */
function expectedServices(): Map<string, number[]> {
  const expected = new Map<string, number[]>();
  for (const org of allOrgNames) {
    const ca = portsOf(portPlan.ca, org);
    expected.set(caServiceName(org), [ca.listen, ca.operations]);
  }
  for (const node of ordererOrg.nodes) {
    const ports = portsOf(portPlan.orderer, node);
    expected.set(node, [ports.listen, ports.admin, ports.operations]);
  }
  for (const org of peerOrgs) {
    const ports = portsOf(portPlan.peer, org.name);
    expected.set(org.peer, [ports.listen, ports.chaincodeListen, ports.operations]);
    expected.set(chaincodeServerName(org), [portsOf(portPlan.chaincodeServer, org.name).listen]);
  }
  return expected;
}

describe('docker-compose.fabric.yml', function () {
  this.timeout(60_000);
  const versions = readVersions(repoRoot);
  let compose: ComposeFile;

  before(() => {
    expect(fs.existsSync(composeFile), `${composeFile} exists`).to.equal(true);
    compose = parseCompose(fs.readFileSync(composeFile, 'utf8'));
  });

  it('is accepted by `docker-compose config`, with every node of network/topology.json', async () => {
    const version = await dockerCompose(['version', '--short'], {});
    const normalized = parseCompose(await dockerCompose(['config']));
    console.log(
      `      docker-compose ${version.trim()} accepted ${Object.keys(normalized.services ?? {}).length} services`,
    );
    expect(Object.keys(normalized.services ?? {}).sort()).to.deep.equal(
      [...expectedServices().keys()].sort(),
    );
  });

  it('refuses to resolve without the CA registrar password rather than using a default one', async () => {
    let failure: CommandFailedError | undefined;
    try {
      await dockerCompose(['config'], { P2P_CA_REGISTRAR_SECRET: '' });
    } catch (error) {
      // A missing docker-compose is its own failure, not this one.
      if (!(error instanceof CommandFailedError)) throw error;
      failure = error;
    }
    expect(failure, 'config resolved without P2P_CA_REGISTRAR_SECRET').to.be.instanceOf(CommandFailedError);
    expect(failure?.stderr).to.include('P2P_CA_REGISTRAR_SECRET');
  });

  it('names the channel, chaincode and orgs of network/topology.json', () => {
    const described = compose['x-p2p-escrow'];
    expect(described?.channel).to.equal(channelName).and.to.equal('marketplace');
    expect(described?.chaincode).to.equal(topology.chaincode.name);
    const orgs = described?.orgs ?? [];
    expect(orgs.map((org) => org.name)).to.deep.equal(allOrgNames);
    const ordererEntry = orgs.find((org) => org.name === ordererOrg.name);
    expect(ordererEntry).to.deep.include({
      mspId: ordererOrg.mspId,
      ca: caServiceName(ordererOrg.name),
      orderers: ordererOrg.nodes,
    });
    for (const org of peerOrgs) {
      expect(orgs.find((entry) => entry.name === org.name)).to.deep.include({
        mspId: org.mspId,
        ca: caServiceName(org.name),
        peer: org.peer,
        chaincodeServer: chaincodeServerName(org),
      });
    }
  });

  it('has one service per node, its container and host named after the node', () => {
    const services = compose.services ?? {};
    expect(Object.keys(services).sort()).to.deep.equal([...expectedServices().keys()].sort());
    for (const [name, service] of Object.entries(services)) {
      expect(service.container_name, `${name} container_name`).to.equal(name);
      expect(service.hostname, `${name} hostname`).to.equal(name);
    }
  });

  it('runs the official images at the versions of versions.conf, and the chaincode from chaincode/Dockerfile', () => {
    for (const org of allOrgNames) {
      expect(serviceOf(compose, caServiceName(org)).image).to.equal(
        `hyperledger/fabric-ca:${versions.FABRIC_CA_VERSION}`,
      );
    }
    for (const node of ordererOrg.nodes) {
      expect(serviceOf(compose, node).image).to.equal(
        `hyperledger/fabric-orderer:${versions.FABRIC_VERSION}`,
      );
    }
    const dockerfile = fs.readFileSync(path.join(repoRoot, 'chaincode', 'Dockerfile'), 'utf8');
    expect(dockerfile).to.match(new RegExp(`^FROM node:${versions['NODE_MAJOR'] ?? '20'}\\b`, 'm'));
    expect(dockerfile).to.include('fabric-chaincode-node');
    for (const org of peerOrgs) {
      expect(serviceOf(compose, org.peer).image).to.equal(
        `hyperledger/fabric-peer:${versions.FABRIC_VERSION}`,
      );
      const chaincode = serviceOf(compose, chaincodeServerName(org));
      expect(chaincode.build).to.deep.equal({ context: '.', dockerfile: 'chaincode/Dockerfile' });
    }
  });

  it('publishes exactly the port plan, on 127.0.0.1, at the same ports inside the containers', () => {
    // The founders' nodes: a joining marketplace's ports are planned, but it is no service of this file.
    // A peer's `profile` port is never published: its pprof listens on the peer host's loopback only,
    // and only with P2P_PEER_PROFILING=on.
    const joining = new Set(joiningOrgs.map((org) => org.name));
    const allPlanned = new Set<number>();
    for (const table of [portPlan.ca, portPlan.orderer, portPlan.peer, portPlan.chaincodeServer]) {
      for (const [name, entry] of Object.entries(table))
        if (!joining.has(name))
          for (const [kind, port] of Object.entries(entry)) if (kind !== 'profile') allPlanned.add(port);
    }
    const allPublished: number[] = [];
    for (const [name, ports] of expectedServices()) {
      const published = publishedPorts(serviceOf(compose, name));
      for (const entry of published) {
        expect(entry.host, `${name} binds ${entry.hostPort} to`).to.equal(portPlan.host);
        expect(entry.containerPort, `${name} inside port`).to.equal(entry.hostPort);
      }
      expect(published.map((entry) => entry.hostPort).sort(), `${name} ports`).to.deep.equal(
        [...ports].sort(),
      );
      allPublished.push(...ports);
    }
    expect(allPublished.sort()).to.deep.equal([...allPlanned].sort());
  });

  it('configures every CA with TLS on its planned ports', () => {
    for (const org of allOrgNames) {
      const ports = portsOf(portPlan.ca, org);
      const env = envOf(serviceOf(compose, caServiceName(org)));
      expect(env).to.include({
        FABRIC_CA_SERVER_CA_NAME: caServiceName(org),
        FABRIC_CA_SERVER_PORT: String(ports.listen),
        FABRIC_CA_SERVER_TLS_ENABLED: 'true',
        FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS: `0.0.0.0:${ports.operations}`,
      });
      expect(env['FABRIC_CA_SERVER_CSR_HOSTS']?.split(',')).to.include.members([
        'localhost',
        portPlan.host,
        caServiceName(org),
      ]);
    }
  });

  it('configures the orderers for channel participation, without a system channel, TLS on', () => {
    for (const node of ordererOrg.nodes) {
      const ports = portsOf(portPlan.orderer, node);
      expect(envOf(serviceOf(compose, node))).to.include({
        ORDERER_GENERAL_LISTENADDRESS: '0.0.0.0',
        ORDERER_GENERAL_LISTENPORT: String(ports.listen),
        ORDERER_GENERAL_LOCALMSPID: ordererOrg.mspId,
        ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none',
        ORDERER_GENERAL_TLS_ENABLED: 'true',
        ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
        ORDERER_ADMIN_LISTENADDRESS: `0.0.0.0:${ports.admin}`,
        ORDERER_ADMIN_TLS_ENABLED: 'true',
        ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
        ORDERER_OPERATIONS_LISTENADDRESS: `0.0.0.0:${ports.operations}`,
      });
    }
  });

  it("configures each peer with TLS, its org's MSP and its org's chaincode server", () => {
    for (const org of peerOrgs) {
      const ports = portsOf(portPlan.peer, org.name);
      const env = envOf(serviceOf(compose, org.peer));
      expect(env).to.include({
        CORE_PEER_ID: org.peer,
        CORE_PEER_LOCALMSPID: org.mspId,
        CORE_PEER_LISTENADDRESS: `0.0.0.0:${ports.listen}`,
        CORE_PEER_ADDRESS: `${org.peer}:${ports.listen}`,
        CORE_PEER_GOSSIP_EXTERNALENDPOINT: `${org.peer}:${ports.listen}`,
        CORE_PEER_CHAINCODELISTENADDRESS: `0.0.0.0:${ports.chaincodeListen}`,
        CORE_PEER_TLS_ENABLED: 'true',
        CORE_OPERATIONS_LISTENADDRESS: `0.0.0.0:${ports.operations}`,
      });
      const builder = JSON.parse(env['CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG'] ?? '{}') as Record<
        string,
        string
      >;
      const serverPort = portsOf(portPlan.chaincodeServer, org.name).listen;
      expect(builder['chaincodeAddress']).to.equal(`${chaincodeServerName(org)}:${serverPort}`);
    }
  });

  it('runs one TLS chaincode server per peer org with the CORE_CHAINCODE_* settings', () => {
    for (const org of peerOrgs) {
      const port = portsOf(portPlan.chaincodeServer, org.name).listen;
      const env = envOf(serviceOf(compose, chaincodeServerName(org)));
      expect(env['CORE_CHAINCODE_ADDRESS']).to.equal(`0.0.0.0:${port}`);
      // The package id each org installed, given when the servers start.
      expect(env['CORE_CHAINCODE_ID']).to.include(`P2P_CHAINCODE_ID_${org.name.toUpperCase()}`);
      for (const key of [
        'CORE_CHAINCODE_TLS_CERT_FILE',
        'CORE_CHAINCODE_TLS_KEY_FILE',
        'CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE',
      ]) {
        expect(env[key], `${chaincodeServerName(org)} ${key}`).to.match(/^\/.+\.pem$/);
      }
    }
  });
});
