// One Fabric CA per org: its daemon entry, and the task that registers and enrolls every node and
// identity of the org (TLS and enrollment certificates both come from the org's CA).
import { mspKeystoreFile } from '@p2p-escrow/fabric-client';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fabricCaBin, stateDir } from '../env/paths';
import { portPlan, portsOf } from '../env/portPlan';
import { runCommand } from '../env/command';
import { stateSecret } from '../env/stateSecret';
import type { DaemonSpec, HealthCheck, TaskSpec } from '../runner/serviceSpec';
import { nodeAddress, readOrgAddresses } from './orgAddresses';
import {
  caCertPath,
  identityDir,
  nodeDir,
  orgDir,
  orgMspDir,
  ordererOrg,
  peerOrg,
  type IdentitySpec,
} from './topology';

const registrarId = 'registrar';

/** The loopback names every TLS certificate carries; a node's own name and address come on top. */
const tlsHosts = ['localhost', '127.0.0.1'];

function tlsHostsOf(...names: string[]): string[] {
  return [...new Set([...tlsHosts, ...names])];
}

/**
 * The gateway's registrar at each peer org's CA: it registers the gateway's users, and nothing else.
 * It may register only `client` identities with the attributes the gateway sets (role, userId,
 * marketplace); it holds no hf.Revoker, hf.GenCRL, hf.IntermediateCA or hf.AffiliationMgr, so it
 * cannot revoke, issue CRLs, run an intermediate CA or change affiliations. Which role values an org
 * issues is the chaincode's rule (a MarketA identity with role=arbiter is refused there), since a
 * Fabric CA restricts attribute names, not values.
 */
export const gatewayRegistrarId = 'gateway-registrar';
export const gatewayRegistrarAttributes = {
  'hf.Registrar.Roles': 'client',
  'hf.Registrar.Attributes': 'role,userId,marketplace',
} as const;

function gatewayRegistrarDir(org: string, root = stateDir): string {
  return path.join(orgDir(org, root), gatewayRegistrarId);
}

/** The gateway registrar's enrollment secret (generated once); the gateway gets it in its environment. */
export function gatewayRegistrarSecret(org: string, root = stateDir): string {
  return stateSecret(path.join(gatewayRegistrarDir(org, root), 'enrollment-secret'));
}

/**
 * Where an org's CA runs and its crypto material lands: the local consortium's state directory and
 * port plan, or an operator's own state directory for that org alone (`npm run operator -- org init`).
 */
export interface OrgCaPlace {
  root: string;
  /** The address the CA binds (its TLS certificate names it). */
  host: string;
  port: number;
  operationsPort: number;
}

export function localCaPlace(org: string): OrgCaPlace {
  const ports = portsOf(portPlan.ca, org);
  return { root: stateDir, host: portPlan.host, port: ports.listen, operationsPort: ports.operations };
}

function at(place: OrgCaPlace, port: number): string {
  return `${place.host}:${String(port)}`;
}

export function caHome(org: string, root = stateDir): string {
  return path.join(root, 'ca', org.toLowerCase());
}

export function caServiceName(org: string): string {
  return `ca-${org.toLowerCase()}`;
}

function bootstrapSecret(org: string, root = stateDir): string {
  return stateSecret(bootstrapCredentialPaths(org, root).secretFile);
}

/** Where the CA's bootstrap admin keeps its password and its enrolled MSP: for the runner alone. */
export function bootstrapCredentialPaths(
  org: string,
  root = stateDir,
): { secretFile: string; mspDir: string } {
  return {
    secretFile: path.join(caHome(org, root), 'bootstrap-secret'),
    mspDir: path.join(orgDir(org, root), 'registrar', 'msp'),
  };
}

/** The fabric-ca-server command line of an org's CA; its environment is read when it starts. */
export function caServerCommand(org: string, place: OrgCaPlace) {
  const name = caServiceName(org);
  return {
    command: fabricCaBin('fabric-ca-server'),
    args: [
      'start',
      '--home',
      caHome(org, place.root),
      '--address',
      place.host,
      '--port',
      String(place.port),
      '--tls.enabled',
      '--ca.name',
      name,
      '--csr.cn',
      name,
      '--csr.hosts',
      [...new Set([...tlsHosts, place.host])].join(','),
    ],
    // The bootstrap registrar's password reaches the server through its environment, never its
    // arguments (which every user of the machine can read with `ps`).
    env: () => ({
      FABRIC_CA_SERVER_BOOT: `${registrarId}:${bootstrapSecret(org, place.root)}`,
      FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS: at(place, place.operationsPort),
      FABRIC_CA_SERVER_METRICS_PROVIDER: 'prometheus',
    }),
  };
}

export function caDaemon(org: string): DaemonSpec {
  const place = localCaPlace(org);
  const server = caServerCommand(org, place);
  return {
    kind: 'daemon',
    name: caServiceName(org),
    description: `Fabric CA of ${org}`,
    dependsOn: [],
    command: server.command,
    args: server.args,
    get env() {
      return server.env();
    },
    cwd: stateDir,
    ports: [place.port, place.operationsPort],
    health: caHealth(place),
    startTimeoutSeconds: 60,
    prepare: () => {
      fs.mkdirSync(caHome(org), { recursive: true });
      return Promise.resolve();
    },
  };
}

export function caHealth(place: OrgCaPlace): HealthCheck {
  return { kind: 'http', url: `http://${at(place, place.operationsPort)}/healthz` };
}

class OrgEnroller {
  private readonly registrarHome: string;
  private readonly root: string;
  private readonly caUrl: string;

  constructor(
    private readonly org: string,
    place: OrgCaPlace,
  ) {
    this.root = place.root;
    this.registrarHome = path.join(orgDir(org, place.root), 'registrar');
    this.caUrl = `https://${at(place, place.port)}`;
  }

  /** fabric-ca-client with `secrets` (a URL with credentials, an identity's secret) in its environment. */
  private client(args: string[], home: string, secrets: Record<string, string> = {}): Promise<string> {
    return runCommand(
      fabricCaBin('fabric-ca-client'),
      [...args, '--tls.certfiles', caCertPath(this.org, this.root)],
      {
        env: { FABRIC_CA_CLIENT_HOME: home, ...secrets },
      },
    );
  }

  private url(id: string, secret: string): string {
    return this.caUrl.replace('https://', `https://${id}:${encodeURIComponent(secret)}@`);
  }

  async enrollRegistrar(): Promise<void> {
    fs.mkdirSync(orgDir(this.org, this.root), { recursive: true });
    fs.copyFileSync(path.join(caHome(this.org, this.root), 'ca-cert.pem'), caCertPath(this.org, this.root));
    if (fs.existsSync(path.join(this.registrarHome, 'msp', 'signcerts', 'cert.pem'))) return;
    await this.client(['enroll', '--mspdir', 'msp'], this.registrarHome, {
      FABRIC_CA_CLIENT_URL: this.url(registrarId, bootstrapSecret(this.org, this.root)),
    });
  }

  /** Registers an identity once; its enrollment secret stays in the identity's folder (mode 0600). */
  private async register(identity: IdentitySpec, dir: string): Promise<string> {
    const secretFile = path.join(dir, 'enrollment-secret');
    const known = fs.existsSync(secretFile);
    const secret = stateSecret(secretFile);
    if (known) return secret;
    const attrs = Object.entries(identity.attrs)
      .map(([key, value]) => `${key}=${value}:ecert`)
      .join(',');
    const args = ['register', '--mspdir', 'msp', '-u', this.caUrl, '--id.name', identity.id];
    args.push('--id.type', identity.type);
    if (attrs) args.push('--id.attrs', attrs);
    try {
      await this.client(args, this.registrarHome, { FABRIC_CA_CLIENT_ID_SECRET: secret });
    } catch (error) {
      fs.rmSync(secretFile, { force: true });
      throw error;
    }
    return secret;
  }

  /**
   * Registers the gateway's registrar once (a marker file says it is done, since the secret may be
   * generated earlier, when the gateway's environment is first read). The gateway enrolls it itself.
   */
  async registerGatewayRegistrar(): Promise<void> {
    const marker = path.join(gatewayRegistrarDir(this.org, this.root), 'registered');
    if (fs.existsSync(marker)) return;
    const attrs = Object.entries(gatewayRegistrarAttributes)
      .map(([key, value]) => `"${key}=${value}"`)
      .join(',');
    const args = ['register', '--mspdir', 'msp', '-u', this.caUrl, '--id.name', gatewayRegistrarId];
    args.push('--id.type', 'client', '--id.attrs', attrs);
    await this.client(args, this.registrarHome, {
      FABRIC_CA_CLIENT_ID_SECRET: gatewayRegistrarSecret(this.org, this.root),
    });
    fs.writeFileSync(marker, new Date().toISOString());
  }

  async enrollIdentity(identity: IdentitySpec, dir: string, tlsHosts?: string[]): Promise<void> {
    const done = path.join(dir, tlsHosts ? 'tls' : 'msp', tlsHosts ? 'key.pem' : 'config.yaml');
    if (fs.existsSync(done)) return;
    const secret = await this.register(identity, dir);
    const mspDir = path.join(dir, 'msp');
    const credentials = { FABRIC_CA_CLIENT_URL: this.url(identity.id, secret) };
    await this.client(['enroll', '--mspdir', mspDir], dir, credentials);
    writeNodeOuConfig(mspDir);
    if (tlsHosts) {
      const tlsEnrollDir = path.join(dir, 'tls-enroll');
      await this.client(
        [
          'enroll',
          '--mspdir',
          tlsEnrollDir,
          '--enrollment.profile',
          'tls',
          '--csr.hosts',
          tlsHosts.join(','),
        ],
        dir,
        credentials,
      );
      const tlsDir = path.join(dir, 'tls');
      fs.mkdirSync(tlsDir, { recursive: true });
      fs.copyFileSync(path.join(tlsEnrollDir, 'signcerts', 'cert.pem'), path.join(tlsDir, 'cert.pem'));
      fs.copyFileSync(caCertPath(this.org, this.root), path.join(tlsDir, 'ca.pem'));
      fs.copyFileSync(mspKeystoreFile(tlsEnrollDir), path.join(tlsDir, 'key.pem'));
      fs.chmodSync(path.join(tlsDir, 'key.pem'), 0o600);
    }
  }

  /** Revokes every certificate of `enrollmentId` as the CA's registrar (it holds hf.Revoker). */
  async revoke(enrollmentId: string, reason: RevocationReason): Promise<void> {
    await this.client(
      ['revoke', '--mspdir', 'msp', '-u', this.caUrl, '-e', enrollmentId, '-r', reason],
      this.registrarHome,
    );
  }

  /** The CA's current CRL (every certificate it revoked), as the registrar (hf.GenCRL) asks for it. */
  async generateCrl(): Promise<string> {
    await this.client(['gencrl', '--mspdir', 'msp', '-u', this.caUrl], this.registrarHome);
    return fs.readFileSync(path.join(this.registrarHome, 'msp', 'crls', 'crl.pem'), 'utf8');
  }

  writeOrgMsp(): void {
    const msp = orgMspDir(this.org, this.root);
    for (const sub of ['cacerts', 'tlscacerts']) {
      fs.mkdirSync(path.join(msp, sub), { recursive: true });
      fs.copyFileSync(caCertPath(this.org, this.root), path.join(msp, sub, 'ca-cert.pem'));
    }
    writeNodeOuConfig(msp);
  }
}

/** NodeOUs let the channel tell admins, peers, orderers and clients apart by their certificate's OU. */
function writeNodeOuConfig(mspDir: string): void {
  const caFile = `cacerts/${fs.readdirSync(path.join(mspDir, 'cacerts'))[0] ?? 'ca-cert.pem'}`;
  const ou = (name: string) => `    Certificate: ${caFile}\n    OrganizationalUnitIdentifier: ${name}\n`;
  const text =
    'NodeOUs:\n  Enable: true\n' +
    `  ClientOUIdentifier:\n${ou('client')}  PeerOUIdentifier:\n${ou('peer')}` +
    `  AdminOUIdentifier:\n${ou('admin')}  OrdererOUIdentifier:\n${ou('orderer')}`;
  fs.writeFileSync(path.join(mspDir, 'config.yaml'), text);
}

/** The reasons `fabric-ca-client revoke --revoke.reason` accepts (RFC 5280 CRLReason names). */
export const REVOCATION_REASONS = [
  'unspecified',
  'keycompromise',
  'cacompromise',
  'affiliationchange',
  'superseded',
  'cessationofoperation',
  'certificatehold',
  'privilegewithdrawn',
  'aacompromise',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** Revokes an identity at the org's CA (running at `place`) and returns the CA's new CRL (PEM). */
export async function revokeAtCa(
  org: string,
  enrollmentId: string,
  reason: RevocationReason,
  place: OrgCaPlace = localCaPlace(org),
): Promise<string> {
  const enroller = new OrgEnroller(org, place);
  await enroller.enrollRegistrar();
  await enroller.revoke(enrollmentId, reason);
  return enroller.generateCrl();
}

/** Registers and enrolls one more identity of the org at its CA into `dir` (its MSP under dir/msp). */
export async function enrollOrgIdentity(
  org: string,
  identity: IdentitySpec,
  dir: string,
  place: OrgCaPlace = localCaPlace(org),
): Promise<void> {
  const enroller = new OrgEnroller(org, place);
  await enroller.enrollRegistrar();
  await enroller.enrollIdentity(identity, dir);
}

/**
 * Registers and enrolls every node and identity of `org` at its CA (already running at `place`) into
 * `place.root`: its MSP, its nodes' and users' keys and certificates. Idempotent.
 */
export async function enrollOrg(org: string, place: OrgCaPlace): Promise<void> {
  const enroller = new OrgEnroller(org, place);
  const root = place.root;
  // Each node's TLS certificate also names the address it is reached at (org init --address).
  const addresses = readOrgAddresses(org, root);
  await enroller.enrollRegistrar();
  enroller.writeOrgMsp();
  if (org === ordererOrg.name) {
    for (const node of ordererOrg.nodes) {
      await enroller.enrollIdentity(
        { id: node, type: 'orderer', attrs: {} },
        nodeDir(org, node, root),
        tlsHostsOf(node, nodeAddress(addresses, node)),
      );
    }
    await enroller.enrollIdentity(
      { id: 'orderer-admin', type: 'admin', attrs: { role: 'admin' } },
      identityDir(org, 'orderer-admin', root),
      tlsHosts,
    );
    return;
  }
  const spec = peerOrg(org);
  await enroller.enrollIdentity(
    { id: spec.peer, type: 'peer', attrs: {} },
    nodeDir(org, spec.peer, root),
    tlsHostsOf(spec.peer, addresses.host),
  );
  // The chaincode server's TLS certificate; the peer dials it with its own TLS certificate.
  await enroller.enrollIdentity(
    { id: `ccserver-${org.toLowerCase()}`, type: 'client', attrs: {} },
    nodeDir(org, 'chaincode-server', root),
    // chaincode-<org> is its host name in docker-compose.fabric.yml.
    tlsHostsOf(`chaincode-${org.toLowerCase()}`, addresses.host),
  );
  for (const identity of spec.identities) {
    await enroller.enrollIdentity(
      identity,
      identityDir(org, identity.id, root),
      identity.type === 'admin' ? tlsHosts : undefined,
    );
  }
  await enroller.registerGatewayRegistrar();
}

export function cryptoTask(org: string): TaskSpec {
  return {
    kind: 'task',
    name: `crypto-${org.toLowerCase()}`,
    description: `register and enroll every node and identity of ${org} at its CA`,
    dependsOn: [caServiceName(org)],
    run: () => enrollOrg(org, localCaPlace(org)),
  };
}
