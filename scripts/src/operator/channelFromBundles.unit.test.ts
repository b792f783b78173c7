import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configtxOf } from '../network/channelProfile';
import { foundersOf, readBundle } from './channelFromBundles';
import { OperatorError } from './operatorError';
import { BUNDLE_MANIFEST, type BundleManifest } from './orgBundle';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const created: string[] = [];

/** A bundle directory as `org export-bundle` writes it: its files and a manifest of their digests. */
function bundle(
  manifest: Omit<BundleManifest, 'files'>,
  files: Record<string, string> = { 'msp/cacerts/ca-cert.pem': CERT },
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'founding-bundle-'));
  created.push(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const listed = Object.entries(files).map(([file, text]) => ({
    path: file,
    sha256: crypto.createHash('sha256').update(text).digest('hex'),
  }));
  fs.writeFileSync(path.join(dir, BUNDLE_MANIFEST), JSON.stringify({ ...manifest, files: listed }));
  return dir;
}

function peerBundle(org: string): string {
  return bundle({
    org,
    mspId: `${org}MSP`,
    kind: 'application',
    anchorPeers: ['10.0.0.2:7051'],
    ordererEndpoints: [],
  });
}

function ordererBundle(): string {
  return bundle(
    {
      org: 'Orderer',
      mspId: 'OrdererMSP',
      kind: 'orderer',
      anchorPeers: [],
      ordererEndpoints: ['10.0.0.1:7050'],
      consenters: [
        { node: 'orderer1', host: '10.0.0.1', port: 7050, tlsCert: 'consenters/orderer1/tls-cert.pem' },
      ],
    },
    { 'msp/cacerts/ca-cert.pem': CERT, 'consenters/orderer1/tls-cert.pem': CERT },
  );
}

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof OperatorError) return error.code;
    throw error;
  }
  throw new Error('expected an OperatorError');
}

describe('operator command line: a channel from the founding orgs’ bundles', () => {
  after(() => {
    for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('founds the channel on the bundles’ MSP directories, anchor peers and Raft consenters', () => {
    const [a, b] = [peerBundle('MarketA'), peerBundle('MarketB')];
    const orderer = ordererBundle();
    const founders = foundersOf([readBundle(a), readBundle(b)], readBundle(orderer));
    expect(founders.peerOrgs).to.deep.equal([
      {
        name: 'MarketA',
        mspId: 'MarketAMSP',
        mspDir: path.join(a, 'msp'),
        anchorPeers: [{ Host: '10.0.0.2', Port: 7051 }],
      },
      {
        name: 'MarketB',
        mspId: 'MarketBMSP',
        mspDir: path.join(b, 'msp'),
        anchorPeers: [{ Host: '10.0.0.2', Port: 7051 }],
      },
    ]);
    expect(founders.consenters).to.deep.equal([
      { host: '10.0.0.1', port: 7050, tlsCert: path.join(orderer, 'consenters', 'orderer1', 'tls-cert.pem') },
    ]);
    const profile = JSON.stringify(configtxOf(founders));
    expect(profile).to.include(`"MSPDir":"${path.join(a, 'msp')}"`);
    expect(profile).to.include(`"Endorsement":{"Type":"Signature","Rule":"OR('MarketBMSP.peer')"}`);
    expect(profile).to.include(
      '"LifecycleEndorsement":{"Type":"ImplicitMeta","Rule":"MAJORITY Endorsement"}',
    );
  });

  it('refuses a bundle whose file does not match its digest, or without a manifest', () => {
    const tampered = peerBundle('MarketA');
    fs.appendFileSync(path.join(tampered, 'msp', 'cacerts', 'ca-cert.pem'), CERT);
    expect(codeOf(() => readBundle(tampered))).to.equal('BUNDLE_INVALID');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'founding-bundle-'));
    created.push(empty);
    expect(codeOf(() => readBundle(empty))).to.equal('BUNDLE_INVALID');
  });

  it('refuses a peer org as the orderer bundle, the orderer org as a peer bundle and an org given twice', () => {
    const a = readBundle(peerBundle('MarketA'));
    const orderer = readBundle(ordererBundle());
    expect(codeOf(() => foundersOf([a], a))).to.equal('BUNDLE_INVALID');
    expect(codeOf(() => foundersOf([orderer], orderer))).to.equal('BUNDLE_INVALID');
    expect(codeOf(() => foundersOf([a, readBundle(peerBundle('MarketA'))], orderer))).to.equal(
      'BUNDLE_INVALID',
    );
  });
});
