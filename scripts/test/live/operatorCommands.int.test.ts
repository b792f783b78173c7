// The operator commands as an operator runs them: the real command line as a child process against
// the running network, its output checked against what the channel itself says.
import {
  channelMembersOf,
  channelName,
  fabricBinDir,
  fetchChannelMembers,
  ordererOrg,
  peerOrg,
  runCommand,
  stateDir,
  type ChannelMembers,
} from '@p2p-escrow/scripts';
import { requireFabricNetwork } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Outcome, runOperator } from './operatorRun';
import YAML from 'yaml';

function operator(...args: string[]): Promise<Outcome> {
  return runOperator(90_000, ...args);
}

/** Progress lines aside, the command said exactly one thing on stderr: why it failed. */
function expectOneLineError(outcome: Outcome, code: number, pattern: RegExp): void {
  expect(outcome.code, outcome.stderr).to.equal(code);
  const said = outcome.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('==> '));
  expect(said, outcome.stderr).to.have.length(1);
  expect(said[0])
    .to.match(/^error: /)
    .and.to.match(pattern);
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function folderPems(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .sort()
    .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
}

/** A port nothing listens on right now, from the kernel. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

function freePortIs(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

interface ShownConsortium {
  orgs: { name: string; mspId: string; kind: string; anchorPeers: string[]; ordererEndpoints: string[] }[];
  consenters: string[];
  peers: { org: string; health: string; height: number | null }[];
  orderers: { node: string; health: string }[];
  chaincode: {
    name: string;
    version: string;
    sequence: number;
    collections: string[];
    approvals: Record<string, boolean>;
  } | null;
}

describe('operator commands against the live network', function () {
  this.timeout(120_000);
  let channel: ChannelMembers;
  let work: string;

  before(async () => {
    await requireFabricNetwork();
    channel = await fetchChannelMembers(peerOrg('MarketA'));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-live-'));
  });

  after(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('consortium show --json names the three orgs, the orderers, each peer’s height and the approved definition', async () => {
    const outcome = await operator('consortium', 'show', '--json');
    expect(outcome.code, outcome.stderr).to.equal(0);
    const shown = JSON.parse(outcome.stdout) as ShownConsortium;
    const peerOrgs = shown.orgs.filter((org) => org.kind === 'application');
    expect(peerOrgs.map((org) => org.mspId).sort()).to.deep.equal([
      'MarketAMSP',
      'MarketBMSP',
      'OversightMSP',
    ]);
    for (const org of peerOrgs) expect(org.anchorPeers, org.name).to.have.length.greaterThan(0);
    const ordererOrg = shown.orgs.find((org) => org.kind === 'orderer');
    expect(ordererOrg?.ordererEndpoints).to.have.length(3);
    expect(shown.consenters).to.have.length(3);
    expect(shown.orderers.map((orderer) => orderer.health)).to.deep.equal(['ok', 'ok', 'ok']);
    expect(shown.peers).to.have.length(3);
    for (const peer of shown.peers) {
      expect(peer.health, peer.org).to.equal('ok');
      expect(peer.height, peer.org).to.be.a('number').greaterThan(0);
    }
    expect(shown.chaincode?.name).to.equal('escrow');
    expect(shown.chaincode?.sequence).to.be.greaterThan(0);
    expect(shown.chaincode?.collections).to.include('escrowTerms_MarketA_MarketB');
    expect(shown.chaincode?.approvals).to.deep.equal({
      MarketAMSP: true,
      MarketBMSP: true,
      OversightMSP: true,
    });
  });

  it('consortium show prints tables for people', async () => {
    const outcome = await operator('consortium', 'show');
    expect(outcome.code, outcome.stderr).to.equal(0);
    expect(outcome.stdout).to.match(/^MarketB\s+MarketBMSP\s+application/m);
    expect(outcome.stdout).to.match(/approved by\s+3 of 3: MarketAMSP, MarketBMSP, OversightMSP/);
  });

  it('org export-bundle MarketA writes the channel’s MarketA MSP and no private key anywhere', async () => {
    const out = path.join(work, 'marketa-bundle');
    const outcome = await operator('org', 'export-bundle', 'MarketA', '--out', out);
    expect(outcome.code, outcome.stderr).to.equal(0);
    const files = filesUnder(out);
    expect(files).to.have.length.greaterThan(3);
    for (const file of files) expect(fs.readFileSync(file, 'utf8'), file).not.to.include('PRIVATE KEY');

    const inChannel = channel.orgs.find((org) => org.name === 'MarketA')?.msp;
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
      mspId: string;
      anchorPeers: string[];
    };
    expect(manifest.mspId).to.equal(inChannel?.mspId);
    expect(manifest.anchorPeers).to.deep.equal(
      channel.orgs.find((org) => org.name === 'MarketA')?.anchorPeers,
    );
    expect(folderPems(path.join(out, 'msp', 'cacerts'))).to.deep.equal(inChannel?.rootCerts);
    expect(folderPems(path.join(out, 'msp', 'tlscacerts'))).to.deep.equal(inChannel?.tlsRootCerts);
    const nodeOus = (
      YAML.parse(fs.readFileSync(path.join(out, 'msp', 'config.yaml'), 'utf8')) as {
        NodeOUs: { Enable: boolean } & Record<string, { OrganizationalUnitIdentifier?: string }>;
      }
    ).NodeOUs;
    expect(nodeOus.Enable).to.equal(true);
    for (const [role, identifier] of Object.entries(inChannel?.nodeOus ?? {})) {
      const key = `${role[0]?.toUpperCase() ?? ''}${role.slice(1)}OUIdentifier`;
      expect(nodeOus[key]?.OrganizationalUnitIdentifier, key).to.equal(identifier);
    }
  });

  it('refuses bad input with one line and exit code 2, and an unreachable peer with exit code 1', async () => {
    expectOneLineError(
      await operator('org', 'export-bundle', 'MarketZ', '--out', path.join(work, 'z')),
      2,
      /unknown org MarketZ/,
    );
    expectOneLineError(await operator('org', 'export-bundle', 'MarketA'), 2, /--out <dir>/);
    expect(fs.existsSync(path.join(work, 'z'))).to.equal(false);
    expectOneLineError(
      await operator('consortium', 'show', '--peer', '127.0.0.1:1'),
      1,
      /peer 127\.0\.0\.1:1.*connection refused/,
    );
  });

  it('org init MarketA creates MarketA’s CA, nodes and users in its own state directory, with its keys only', async function () {
    this.timeout(120_000);
    const state = path.join(work, 'marketa-state');
    const caPort = await freePort();
    const outcome = await operator(
      'org',
      'init',
      'MarketA',
      '--state',
      state,
      '--ca-port',
      String(caPort),
      '--ca-operations-port',
      String(await freePort()),
    );
    expect(outcome.code, outcome.stderr).to.equal(0);
    expect(fs.readdirSync(path.join(state, 'orgs'))).to.deep.equal(['marketa']);
    expect(fs.readdirSync(path.join(state, 'ca'))).to.deep.equal(['marketa']);

    const files = filesUnder(state);
    const keyFiles = files.filter((file) => fs.readFileSync(file, 'utf8').includes('PRIVATE KEY'));
    expect(keyFiles).to.have.length.greaterThan(5);
    for (const file of keyFiles) expect(path.relative(state, file), file).to.match(/^(orgs|ca)\/marketa\//);
    // Every identity's certificate was issued by this state's own MarketA CA, none by another org's.
    const ca = new crypto.X509Certificate(
      fs.readFileSync(path.join(state, 'orgs', 'marketa', 'ca-cert.pem')),
    );
    expect(ca.subject).to.include('CN=ca-marketa');
    const identityCerts = files.filter((file) => file.endsWith(path.join('signcerts', 'cert.pem')));
    expect(identityCerts).to.have.length.greaterThan(5);
    for (const file of identityCerts) {
      const cert = new crypto.X509Certificate(fs.readFileSync(file));
      expect(cert.verify(ca.publicKey), file).to.equal(true);
    }
    const admin = new crypto.X509Certificate(
      fs.readFileSync(
        path.join(state, 'orgs', 'marketa', 'users', 'marketa-admin', 'msp', 'signcerts', 'cert.pem'),
      ),
    );
    expect(admin.subject).to.include('OU=admin');

    // The CA ran for the command only; the org's bundle comes from the new state.
    expect(await freePortIs(caPort)).to.equal(true);
    const bundle = path.join(work, 'new-marketa-bundle');
    const exported = await operator('org', 'export-bundle', 'MarketA', '--state', state, '--out', bundle);
    expect(exported.code, exported.stderr).to.equal(0);
    expect(fs.readFileSync(path.join(bundle, 'msp', 'cacerts', 'ca-cert.pem'), 'utf8')).to.equal(
      ca.toString(),
    );

    expectOneLineError(
      await operator('org', 'init', 'MarketB', '--state', state),
      2,
      /already holds marketa/,
    );
  });

  it('chaincode approve and commit: refused before a majority approved, committed after, the last org catching up', async function () {
    this.timeout(150_000);
    const show = async () => {
      const outcome = await operator('consortium', 'show', '--json');
      expect(outcome.code, outcome.stderr).to.equal(0);
      return (JSON.parse(outcome.stdout) as ShownConsortium).chaincode;
    };
    const sequence = ((await show())?.sequence ?? 0) + 1;
    const approveA = await operator('chaincode', 'approve', '--as', 'MarketA');
    expect(approveA.code, approveA.stderr).to.equal(0);
    expect(approveA.stdout).to.include('1 of 3 orgs approved (MarketAMSP)');
    expectOneLineError(
      await operator('chaincode', 'commit', '--as', 'MarketA'),
      1,
      /1 of 3 orgs approved.*majority/,
    );

    const approveOversight = await operator('chaincode', 'approve', '--as', 'Oversight');
    expect(approveOversight.code, approveOversight.stderr).to.equal(0);
    const commit = await operator('chaincode', 'commit', '--as', 'MarketB');
    expect(commit.code, commit.stderr).to.equal(0);
    const committed = await show();
    expect(committed?.sequence).to.equal(sequence);
    expect(committed?.approvals).to.deep.equal({ MarketAMSP: true, MarketBMSP: false, OversightMSP: true });

    // As an operator on another host would: the package id given, not read from local state.
    const packageId = fs.readFileSync(path.join(stateDir, 'chaincode', 'deployed-package-id'), 'utf8').trim();
    const catchUp = await operator(
      'chaincode',
      'approve',
      '--as',
      'MarketB',
      '--sequence',
      String(sequence),
      '--package-id',
      packageId,
    );
    expect(catchUp.code, catchUp.stderr).to.equal(0);
    expect((await show())?.approvals).to.deep.equal({
      MarketAMSP: true,
      MarketBMSP: true,
      OversightMSP: true,
    });
  });

  it('peer join without --block fetches block 0 from an orderer and leaves a member peer as it is; refuses a block file that does not exist', async () => {
    const outcome = await operator('peer', 'join', 'MarketB');
    expect(outcome.code, outcome.stderr).to.equal(0);
    expect(outcome.stderr).to.match(/fetching block 0 of channel/);
    expect(outcome.stdout).to.include("MarketB's peer is a member of the channel already");
    expectOneLineError(
      await operator('peer', 'join', 'MarketB', '--block', path.join(work, 'none.block')),
      2,
      /no block at/,
    );
  });

  it('orderer list names the channel on each orderer', async () => {
    const outcome = await operator('orderer', 'list');
    expect(outcome.code, outcome.stderr).to.equal(0);
    const lines = outcome.stdout.trimEnd().split('\n');
    expect(lines).to.have.length(ordererOrg.nodes.length);
    for (const node of ordererOrg.nodes) {
      const listed = lines.find((line) => line.startsWith(`${node}: `));
      expect(listed?.slice(node.length + 2).split(', '), node).to.include(channelName);
    }
  });

  it('orderer join leaves member orderers as they are, and refuses a block file that does not exist', async () => {
    const genesis = path.join(stateDir, 'channel', `${channelName}.block`);
    const outcome = await operator(
      'orderer',
      'join',
      'Orderer',
      '--channel',
      channelName,
      '--block',
      genesis,
    );
    expect(outcome.code, outcome.stderr).to.equal(0);
    for (const node of ordererOrg.nodes)
      expect(outcome.stdout).to.include(`${node} is a member of channel ${channelName} already`);
    expectOneLineError(
      await operator(
        'orderer',
        'join',
        'Orderer',
        '--channel',
        channelName,
        '--block',
        path.join(work, 'none'),
      ),
      2,
      /no block at/,
    );
  });

  it('channel create writes, from the three orgs’ exported bundles and the orderer org’s, a block whose MSPs are the bundles’', async function () {
    this.timeout(120_000);
    const bundles: Record<string, string> = {};
    for (const org of ['MarketA', 'MarketB', 'Oversight', ordererOrg.name]) {
      bundles[org] = path.join(work, `founding-${org}`);
      const exported = await operator('org', 'export-bundle', org, '--out', bundles[org]);
      expect(exported.code, exported.stderr).to.equal(0);
    }
    const block = path.join(work, 'founded.block');
    const created = await operator(
      'channel',
      'create',
      ...['MarketA', 'MarketB', 'Oversight'].flatMap((org) => ['--bundle', bundles[org] ?? '']),
      '--orderer-bundle',
      bundles[ordererOrg.name] ?? '',
      '--channel',
      'founded-from-bundles',
      '--out',
      block,
    );
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stdout).to.include(`written to ${block}`);

    const decoded = path.join(work, 'founded.json');
    await runCommand(path.join(fabricBinDir, 'configtxlator'), [
      'proto_decode',
      '--input',
      block,
      '--type',
      'common.Block',
      '--output',
      decoded,
    ]);
    const founded = channelMembersOf(JSON.parse(fs.readFileSync(decoded, 'utf8')));
    expect(founded.channel).to.equal('founded-from-bundles');
    expect(founded.orgs.map((org) => org.name).sort()).to.deep.equal(
      ['MarketA', 'MarketB', 'Oversight', ordererOrg.name].sort(),
    );
    for (const org of founded.orgs) {
      const dir = bundles[org.name] ?? '';
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
        mspId: string;
        anchorPeers: string[];
        ordererEndpoints: string[];
        consenters?: { host: string; port: number }[];
      };
      expect(org.msp.mspId, org.name).to.equal(manifest.mspId);
      expect(org.msp.rootCerts, org.name).to.deep.equal(folderPems(path.join(dir, 'msp', 'cacerts')));
      expect(org.msp.tlsRootCerts, org.name).to.deep.equal(folderPems(path.join(dir, 'msp', 'tlscacerts')));
      expect(org.anchorPeers, org.name).to.deep.equal(manifest.anchorPeers);
      expect(org.ordererEndpoints, org.name).to.deep.equal(manifest.ordererEndpoints);
      if (manifest.consenters !== undefined)
        expect(founded.consenters).to.deep.equal(
          manifest.consenters.map((consenter) => `${consenter.host}:${String(consenter.port)}`),
        );
    }
    // The same MSPs the running channel holds: the bundles carry each org's real material.
    for (const org of channel.orgs)
      expect(founded.orgs.find((found) => found.name === org.name)?.msp, org.name).to.deep.equal(org.msp);
    expectOneLineError(
      await operator(
        'channel',
        'create',
        '--bundle',
        bundles['MarketA'] ?? '',
        '--orderer-bundle',
        bundles[ordererOrg.name] ?? '',
        '--out',
        block,
      ),
      2,
      /exists/,
    );
  });
});
