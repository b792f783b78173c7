// Each org's gateway holds no CA's bootstrap admin and no other org's registrar: at its own org's CA
// it has a registrar of its own that may register client identities with the gateway's attributes
// only. Proven against the running fabric-ca-servers with the credentials each running gateway was
// actually given.
import {
  allOrgNames,
  bootstrapCredentialPaths,
  caCertPath,
  caUrl,
  CommandFailedError,
  fabricCaBinDir,
  gatewayRegistrarId,
  gatewayServiceName,
  listRecords,
  peerOrg,
  peerOrgs,
  runCommand,
} from '@p2p-escrow/scripts';
import { connectGateway, signingIdentityFromMsp } from '@p2p-escrow/fabric-client';
import { escrowContract, newOrgPeerClient, refusalOf, requireRunningNetwork } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

function environmentOf(pid: number): Map<string, string> {
  const entries = fs
    .readFileSync(`/proc/${String(pid)}/environ`, 'utf8')
    .split('\0')
    .filter(Boolean)
    .map((entry): [string, string] => {
      const at = entry.indexOf('=');
      return [entry.slice(0, at), entry.slice(at + 1)];
    });
  return new Map(entries);
}

function gatewayPid(org: string): number {
  const record = listRecords().find((candidate) => candidate.name === gatewayServiceName(org));
  if (record === undefined) throw new Error(`${org}'s gateway is not running`);
  return record.pid;
}

/** fabric-ca-client as the org's gateway registrar, enrolled in `home`; secrets through the environment. */
class RegistrarClient {
  constructor(
    private readonly org: string,
    private readonly home: string,
  ) {}

  private run(args: string[], env: Record<string, string> = {}): Promise<string> {
    return runCommand(
      path.join(fabricCaBinDir, 'fabric-ca-client'),
      [...args, '--tls.certfiles', caCertPath(this.org)],
      { env: { FABRIC_CA_CLIENT_HOME: this.home, ...env } },
    );
  }

  async enroll(secret: string): Promise<void> {
    const url = caUrl(this.org).replace(
      'https://',
      `https://${gatewayRegistrarId}:${encodeURIComponent(secret)}@`,
    );
    await this.run(['enroll', '--mspdir', 'msp'], { FABRIC_CA_CLIENT_URL: url });
  }

  register(type: string, attrs: string, name = probeName(), secret = newSecret()): Promise<string> {
    const args = ['register', '--mspdir', 'msp', '-u', caUrl(this.org), '--id.name', name];
    args.push('--id.type', type, '--id.attrs', attrs);
    return this.run(args, { FABRIC_CA_CLIENT_ID_SECRET: secret });
  }

  /** Enrolls an identity this registrar registered; its MSP lands in `mspDir`. */
  async enrollAs(name: string, secret: string, mspDir: string): Promise<void> {
    const url = caUrl(this.org).replace('https://', `https://${name}:${encodeURIComponent(secret)}@`);
    await this.run(['enroll', '--mspdir', mspDir], { FABRIC_CA_CLIENT_URL: url });
  }

  revoke(id: string): Promise<string> {
    return this.run(['revoke', '--mspdir', 'msp', '-u', caUrl(this.org), '-e', id]);
  }

  genCrl(): Promise<string> {
    return this.run(['gencrl', '--mspdir', 'msp', '-u', caUrl(this.org)]);
  }
}

function probeName(): string {
  return `probe.${crypto.randomUUID()}`;
}

function newSecret(): string {
  return crypto.randomBytes(12).toString('base64url');
}

/** The CA server's refusal (fabric-ca-client prints the server's error code), never a local failure. */
async function serverRefusal(attempt: Promise<string>): Promise<void> {
  try {
    await attempt;
  } catch (error) {
    expect(error).to.be.instanceOf(CommandFailedError);
    const stderr = (error as CommandFailedError).stderr;
    // The server answers 403 and names the reason in its own log only.
    expect(stderr).to.contain('Response from server: Error Code: 71 - Authorization failure');
    return;
  }
  return expect.fail('the CA accepted it');
}

describe("each org's gateway's registrar at its own CA", function () {
  this.timeout(120_000);
  const environments = new Map<string, Map<string, string>>();
  /** The environment of `org`'s running gateway. */
  const environmentOfGateway = (org: string) => environments.get(org) ?? new Map<string, string>();
  let home: string;

  before(async () => {
    await requireRunningNetwork();
    for (const { name: org } of peerOrgs) environments.set(org, environmentOf(gatewayPid(org)));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-registrar-'));
  });

  after(() => {
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("gives each gateway no CA's bootstrap credential, in its environment or its arguments", () => {
    for (const { name: gatewayOrg } of peerOrgs) {
      const pid = gatewayPid(gatewayOrg);
      const seen = [
        ...environmentOfGateway(gatewayOrg).values(),
        fs.readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').replaceAll('\0', ' '),
      ].join('\n');
      for (const org of allOrgNames) {
        const { secretFile, mspDir } = bootstrapCredentialPaths(org);
        const bootstrapSecret = fs.readFileSync(secretFile, 'utf8').trim();
        expect(seen.includes(bootstrapSecret), `${org}'s CA bootstrap password`).to.equal(false);
        expect(seen.includes(path.dirname(mspDir)), `${org}'s bootstrap registrar folder`).to.equal(false);
      }
      const environment = environmentOfGateway(gatewayOrg);
      expect(environment.get(`P2P_FABRIC_ORG_${gatewayOrg.toUpperCase()}_REGISTRAR_ID`)).to.equal(
        gatewayRegistrarId,
      );
    }
  });

  it("gives each gateway its own org's registrar secret and CA only, never another org's", () => {
    for (const { name: gatewayOrg } of peerOrgs) {
      const environment = environmentOfGateway(gatewayOrg);
      expect(environment.get('P2P_FABRIC_ORG')).to.equal(gatewayOrg);
      const values = [...environment.values()].join('\n');
      for (const { name: other } of peerOrgs.filter((org) => org.name !== gatewayOrg)) {
        const otherSecret = environmentOfGateway(other).get(
          `P2P_FABRIC_ORG_${other.toUpperCase()}_REGISTRAR_SECRET`,
        );
        expect(otherSecret, `${other}'s registrar secret`).to.be.a('string');
        expect(
          values.includes(otherSecret!),
          `${other}'s registrar secret at ${gatewayOrg}'s gateway`,
        ).to.equal(false);
        expect(
          [...environment.keys()].filter((name) =>
            /_(CA_URL|CA_NAME|CA_TLS_ROOT_CERT|REGISTRAR_ID|REGISTRAR_SECRET)$/.test(name),
          ),
        ).not.to.include(`P2P_FABRIC_ORG_${other.toUpperCase()}_REGISTRAR_SECRET`);
      }
    }
  });

  for (const { name: org } of peerOrgs) {
    it(`${org}: registers a client with the gateway's attributes, and is refused anything more`, async () => {
      const secret = environmentOfGateway(org).get(`P2P_FABRIC_ORG_${org.toUpperCase()}_REGISTRAR_SECRET`);
      expect(secret, `the gateway's ${org} registrar secret`).to.be.a('string');
      const client = new RegistrarClient(org, path.join(home, org));
      await client.enroll(secret!);
      const gatewayAttrs = `role=buyer:ecert,userId=probe:ecert,marketplace=${org}:ecert`;

      // What the gateway does for every user: allowed.
      expect(await client.register('client', gatewayAttrs)).to.match(/Password:/);

      // Node and admin identities: refused.
      for (const type of ['admin', 'peer', 'orderer'])
        await serverRefusal(client.register(type, gatewayAttrs));
      // Registrar, revoker, CA and affiliation powers, and attributes the gateway never sets: refused.
      for (const attr of [
        '"hf.Registrar.Roles=client"',
        'hf.Registrar.Attributes=role',
        'hf.Revoker=true',
        'hf.GenCRL=true',
        'hf.IntermediateCA=true',
        'hf.AffiliationMgr=true',
        'admin=true:ecert',
      ])
        await serverRefusal(client.register('client', `${gatewayAttrs},${attr}`));
      // Revoking another identity and issuing a CRL: refused.
      await serverRefusal(client.revoke(`${org.toLowerCase()}-admin`));
      await serverRefusal(client.genCrl());
    });
  }

  it('MarketA: an identity its registrar gives role=arbiter is refused by the chaincode (INVALID_IDENTITY)', async () => {
    // A Fabric CA restricts attribute names, not values: which roles an org issues is the ledger's rule.
    const org = 'MarketA';
    const client = new RegistrarClient(org, path.join(home, `${org}-arbiter`));
    await client.enroll(
      environmentOfGateway(org).get(`P2P_FABRIC_ORG_${org.toUpperCase()}_REGISTRAR_SECRET`) ?? '',
    );
    const name = probeName();
    const secret = newSecret();
    await client.register(
      'client',
      `role=arbiter:ecert,userId=probe:ecert,marketplace=${org}:ecert`,
      name,
      secret,
    );
    const mspDir = path.join(home, `${org}-arbiter`, 'probe-msp');
    await client.enrollAs(name, secret, mspDir);

    const peer = newOrgPeerClient(org);
    const gateway = connectGateway(peer, signingIdentityFromMsp(peerOrg(org).mspId, mspDir));
    try {
      const refusal = await refusalOf(escrowContract(gateway).evaluateTransaction('readChannelSettings'));
      expect(refusal.code, refusal.message).to.equal('INVALID_IDENTITY');
      expect(refusal.message).to.contain('role arbiter is not issued by MarketA');
    } finally {
      gateway.close();
      peer.close();
    }
  });
});
