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
  const root = tempDir('bundle-state-');
  const msp = path.join(root, 'orgs', 'marketa', 'msp');
  for (const [file, text] of [
    ['cacerts/ca-cert.pem', CERT],
    ['tlscacerts/ca-cert.pem', CERT],
    ['config.yaml', 'NodeOUs:\n  Enable: true\n'],
    ['keystore/key_sk', KEY],
    ['signcerts/cert.pem', CERT],
  ] as const) {
    fs.mkdirSync(path.dirname(path.join(msp, file)), { recursive: true });
    fs.writeFileSync(path.join(msp, file), text);
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
