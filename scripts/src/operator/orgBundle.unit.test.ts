import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OperatorError } from './operatorError';
import {
  BUNDLE_MANIFEST,
  buildOrgBundle,
  filesWithPrivateKeys,
  writeOrgBundle,
  type BundleManifest,
} from './orgBundle';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n';

const created: string[] = [];

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A state directory holding MarketA's MSP, with its admin's signing key where an MSP keeps one. */
function stateWithMarketA(): string {
  return stateWithOrg('marketa');
}

function stateWithOrg(dirName: string, extra: [string, string][] = []): string {
  const root = tempDir('bundle-state-');
  const org = path.join(root, 'orgs', dirName);
  const msp: [string, string][] = [
    ['msp/cacerts/ca-cert.pem', CERT],
    ['msp/tlscacerts/ca-cert.pem', CERT],
    ['msp/config.yaml', 'NodeOUs:\n  Enable: true\n'],
    ['msp/keystore/key_sk', KEY],
    ['msp/signcerts/cert.pem', CERT],
  ];
  for (const [file, text] of [...msp, ...extra]) {
    fs.mkdirSync(path.dirname(path.join(org, file)), { recursive: true });
    fs.writeFileSync(path.join(org, file), text);
  }
  return root;
}

function errorOf(action: () => unknown): OperatorError {
  try {
    action();
  } catch (error) {
    if (error instanceof OperatorError) return error;
    throw error;
  }
  throw new Error('expected an OperatorError');
}

describe('operator command line: an org’s public bundle', () => {
  after(() => {
    for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds the MSP certificates, NodeOU config and a manifest of the org’s endpoints, and no keystore', () => {
    const files = buildOrgBundle('MarketAMSP', stateWithMarketA());
    expect([...files.keys()]).to.deep.equal([
      'msp/cacerts/ca-cert.pem',
      'msp/tlscacerts/ca-cert.pem',
      'msp/config.yaml',
      BUNDLE_MANIFEST,
    ]);
    const manifest = JSON.parse(files.get(BUNDLE_MANIFEST) ?? '') as BundleManifest;
    expect(manifest).to.include({ org: 'MarketA', mspId: 'MarketAMSP', kind: 'application' });
    expect(manifest.anchorPeers).to.have.length(1);
    expect(manifest.files.map((file) => file.path)).to.include('msp/config.yaml');
    expect(filesWithPrivateKeys(files)).to.deep.equal([]);
  });

  it('gives the orderer org’s bundle each orderer’s TLS certificate as a Raft consenter, never its key', () => {
    const nodes = ['orderer1', 'orderer2', 'orderer3'];
    const state = stateWithOrg(
      'orderer',
      nodes.flatMap((node): [string, string][] => [
        [`nodes/${node}/tls/cert.pem`, CERT.replace('MIIB', `MIIB${node}`)],
        [`nodes/${node}/tls/key.pem`, KEY],
      ]),
    );
    const files = buildOrgBundle('Orderer', state);
    const manifest = JSON.parse(files.get(BUNDLE_MANIFEST) ?? '') as BundleManifest;
    expect(manifest).to.include({ org: 'Orderer', kind: 'orderer' });
    expect(manifest.consenters?.map((consenter) => consenter.node)).to.deep.equal(nodes);
    for (const consenter of manifest.consenters ?? []) {
      expect(files.get(consenter.tlsCert)).to.include(`MIIB${consenter.node}`);
      expect(manifest.files.map((file) => file.path)).to.include(consenter.tlsCert);
    }
    expect(new Set(manifest.consenters?.map((consenter) => consenter.port)).size).to.equal(3);
    expect(filesWithPrivateKeys(files)).to.deep.equal([]);
  });

  it('refuses to write a bundle holding a private key in any PEM form, and writes nothing', () => {
    for (const header of ['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']) {
      const files = buildOrgBundle('MarketA', stateWithMarketA());
      files.set(
        'msp/cacerts/ca-cert.pem',
        `${CERT}-----BEGIN ${header}-----\nMIGH\n-----END ${header}-----\n`,
      );
      const out = path.join(tempDir('bundle-out-'), 'bundle');
      const error = errorOf(() => writeOrgBundle(files, out));
      expect(error.code).to.equal('BUNDLE_HAS_PRIVATE_KEY');
      expect(error.message).to.include('msp/cacerts/ca-cert.pem');
      expect(fs.existsSync(out)).to.equal(false);
    }
  });

  it('writes into a new directory and refuses one that already holds files', () => {
    const files = buildOrgBundle('MarketA', stateWithMarketA());
    const out = path.join(tempDir('bundle-out-'), 'bundle');
    writeOrgBundle(files, out);
    expect(fs.readFileSync(path.join(out, 'msp', 'cacerts', 'ca-cert.pem'), 'utf8')).to.equal(CERT);
    expect(errorOf(() => writeOrgBundle(files, out)).code).to.equal('OUT_DIR_NOT_EMPTY');
  });

  it('says the org is not initialised when its state holds no MSP', () => {
    const empty = tempDir('bundle-state-');
    expect(errorOf(() => buildOrgBundle('MarketB', empty)).code).to.equal('ORG_NOT_INITIALISED');
  });
});
