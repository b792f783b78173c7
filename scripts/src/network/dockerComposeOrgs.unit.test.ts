// docker-compose.fabric.yml keeps the per-org split of the native network: every service belongs to
// exactly one org's profile, an org's profile holds exactly that org's nodes, and no service mounts
// another org's crypto material or waits on another org's service (orgs run on separate hosts).
// Read with a YAML parser only; dockerCompose.int.test.ts checks the file with docker-compose itself.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { repoRoot } from '../env/paths';
import { caServiceName } from './certificateAuthority';
import { chaincodeServerName } from './chaincodeDeployment';
import { allOrgNames, ordererOrg, peerOrgs } from './topology';

interface ComposeService {
  profiles?: string[];
  volumes?: string[];
  depends_on?: string[] | Record<string, unknown>;
  environment?: Record<string, string | number | null>;
}

const composeFile = path.join(repoRoot, 'docker-compose.fabric.yml');

function readServices(): Record<string, ComposeService> {
  const parsed = YAML.parse(fs.readFileSync(composeFile, 'utf8')) as {
    services?: Record<string, ComposeService>;
  };
  return parsed.services ?? {};
}

/** The profile an org's services carry: its name in lower case (orderer, marketa, ...). */
function profileOf(org: string): string {
  return org.toLowerCase();
}

/** The services each org runs in the native network (network/topology.json). */
function servicesByOrg(): Map<string, string[]> {
  const byOrg = new Map<string, string[]>();
  byOrg.set(ordererOrg.name, [caServiceName(ordererOrg.name), ...ordererOrg.nodes]);
  for (const org of peerOrgs)
    byOrg.set(org.name, [caServiceName(org.name), org.peer, chaincodeServerName(org)]);
  return byOrg;
}

/** The org folder a host path of a volume names (orgs/<org>/... or ca/<org>), if any. */
function orgFolderOf(volume: string): string | undefined {
  // The host part ends at the first colon after the ${P2P_FABRIC_DIR:-...} prefix.
  const host = volume.replace(/^\$\{[^}]*\}/, '$DIR').split(':')[0] ?? '';
  return /\/(?:orgs|ca)\/([a-z0-9]+)(?:\/|$)/.exec(host)?.[1];
}

describe('docker-compose.fabric.yml per-org split', () => {
  const services = readServices();

  it("gives every service exactly one profile, its org's", () => {
    for (const [org, names] of servicesByOrg()) {
      for (const name of names) {
        expect(services[name], `service ${name}`).to.not.equal(undefined);
        expect(services[name]?.profiles, `${name} profiles`).to.deep.equal([profileOf(org)]);
      }
    }
  });

  it("puts in each org's profile exactly that org's nodes, and every service in some org", () => {
    const expected = servicesByOrg();
    expect([...expected.keys()]).to.deep.equal(allOrgNames);
    for (const [org, names] of expected) {
      const inProfile = Object.entries(services)
        .filter(([, service]) => service.profiles?.includes(profileOf(org)))
        .map(([name]) => name);
      expect(inProfile.sort(), `profile ${profileOf(org)}`).to.deep.equal([...names].sort());
    }
    expect(Object.keys(services).sort()).to.deep.equal([...expected.values()].flat().sort());
  });

  it("mounts only the service's own org's crypto folder", () => {
    for (const [org, names] of servicesByOrg()) {
      for (const name of names) {
        const folders = (services[name]?.volumes ?? []).map(orgFolderOf).filter((f) => f !== undefined);
        expect(folders.length, `${name} mounts its org's material`).to.be.greaterThan(0);
        for (const folder of folders) expect(folder, `${name} mounts`).to.equal(profileOf(org));
      }
    }
  });

  it("never waits on another org's service, which runs on another host", () => {
    for (const [org, names] of servicesByOrg()) {
      for (const name of names) {
        const raw = services[name]?.depends_on ?? [];
        const dependencies = Array.isArray(raw) ? raw : Object.keys(raw);
        for (const dependency of dependencies)
          expect(names, `${name} depends on ${dependency}, outside ${org}`).to.include(dependency);
      }
    }
  });

  it("takes each CA's registrar password from the org operator's environment, never from the file", () => {
    for (const org of allOrgNames) {
      const boot = String(services[caServiceName(org)]?.environment?.['FABRIC_CA_SERVER_BOOT'] ?? '');
      expect(boot, `${caServiceName(org)} FABRIC_CA_SERVER_BOOT`).to.match(
        /^registrar:\$\{P2P_CA_REGISTRAR_SECRET:\?[^}]*\}$/,
      );
    }
  });
});
