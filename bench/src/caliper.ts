// Caliper cross-check: Hyperledger Caliper 0.6.0 with its fabric-gateway binding, against the running
// network (--caliper-flow-only-test), on putMarker and createEscrow at fixed rates. Caliper is not a
// dependency of the repository (its tree carries native add-ons that would compile and download
// headers at install): it is installed on first use into bench/.caliper with --ignore-scripts (every
// native add-on it pulls has a pure-JS fallback or is unused by the Fabric connector).
import { mspIdOf } from '@p2p-escrow/chaincode';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mspKeystoreFile } from '@p2p-escrow/fabric-client';
import { caCertPath, identityDir, peerEndpoint } from '@p2p-escrow/scripts';
import { CALIPER_WORKLOADS } from './caliperWorkloads';
import { repoRoot } from './gatewayLayer';

const CALIPER_VERSION = '0.6.0';
const dir = path.join(repoRoot, 'bench', '.caliper');
const caliperBin = path.join(dir, 'node_modules', '.bin', 'caliper');

export interface CaliperRound {
  readonly name: string;
  readonly succ: number;
  readonly fail: number;
  readonly sendRateTps: number;
  readonly maxLatencyS: number;
  readonly minLatencyS: number;
  readonly avgLatencyS: number;
  readonly throughputTps: number;
}

function install(log: (line: string) => void): void {
  if (
    fs.existsSync(caliperBin) &&
    fs.existsSync(path.join(dir, 'node_modules', '@hyperledger', 'fabric-gateway'))
  )
    return;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    '{ "name": "bench-caliper", "private": true, "version": "0.0.0" }\n',
  );
  log(`installing @hyperledger/caliper-cli@${CALIPER_VERSION} into bench/.caliper (scripts disabled)`);
  const npm = (args: string[]) => {
    const result = spawnSync('npm', args, { cwd: dir, stdio: 'ignore', timeout: 600_000 });
    if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${String(result.status)})`);
  };
  npm([
    'install',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    `@hyperledger/caliper-cli@${CALIPER_VERSION}`,
  ]);
  const bound = spawnSync(
    caliperBin,
    ['bind', '--caliper-bind-sut', 'fabric:fabric-gateway', '--caliper-bind-args=--ignore-scripts'],
    { cwd: dir, stdio: 'ignore', timeout: 300_000 },
  );
  if (bound.status !== 0) throw new Error(`caliper bind failed (${String(bound.status)})`);
}

function writeConfig(putMarkerTps: number, createTps: number, seconds: number, workers: number): void {
  const msp = path.join(identityDir('MarketA', 'marketa-backend'), 'msp');
  fs.mkdirSync(path.join(dir, 'workloads'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'workloads', 'putMarker.js'), CALIPER_WORKLOADS.putMarker);
  fs.writeFileSync(path.join(dir, 'workloads', 'createEscrow.js'), CALIPER_WORKLOADS.createEscrow);
  fs.writeFileSync(
    path.join(dir, 'profile-marketa.yaml'),
    [
      'name: marketa',
      'version: "1.0.0"',
      'client: { organization: MarketA }',
      'organizations:',
      `  MarketA: { mspid: ${mspIdOf('MarketA')}, peers: [peer0.marketa] }`,
      'peers:',
      '  peer0.marketa:',
      `    url: grpcs://${peerEndpoint('MarketA')}`,
      `    tlsCACerts: { path: ${caCertPath('MarketA')} }`,
      '    grpcOptions: { ssl-target-name-override: localhost }',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'networkconfig.yaml'),
    [
      'name: p2p-escrow',
      'version: "2.0.0"',
      'caliper: { blockchain: fabric }',
      'channels:',
      '  - channelName: marketplace',
      '    contracts: [{ id: escrow }]',
      'organizations:',
      `  - mspid: ${mspIdOf('MarketA')}`,
      '    identities:',
      '      certificates:',
      '        - name: marketa-backend',
      `          clientPrivateKey: { path: ${mspKeystoreFile(msp)} }`,
      `          clientSignedCert: { path: ${path.join(msp, 'signcerts', 'cert.pem')} }`,
      '    connectionProfile:',
      `      path: ${path.join(dir, 'profile-marketa.yaml')}`,
      '      discover: true',
      '',
    ].join('\n'),
  );
  const round = (label: string, tps: number) =>
    [
      `    - label: ${label}`,
      `      txDuration: ${String(seconds)}`,
      `      rateControl: { type: fixed-rate, opts: { tps: ${String(tps)} } }`,
      `      workload: { module: workloads/${label}.js }`,
    ].join('\n');
  fs.writeFileSync(
    path.join(dir, 'benchconfig.yaml'),
    [
      'test:',
      '  name: p2p-escrow cross-check',
      `  workers: { number: ${String(workers)} }`,
      '  rounds:',
      round('putMarker', putMarkerTps),
      round('createEscrow', createTps),
      'monitors: { resource: [] }',
      '',
    ].join('\n'),
  );
}

/** The rows of Caliper's final summary table, e.g. `| putMarker | 1334 | 0 | 66.7 | 1.12 | 0.10 | 0.46 | 65.0 |`. */
export function parseCaliperSummary(output: string): CaliperRound[] {
  const rounds = new Map<string, CaliperRound>();
  for (const line of output.split('\n')) {
    const cells = line
      .split('|')
      .map((cell) => cell.trim())
      .filter((cell) => cell !== '');
    if (cells.length !== 8 || !/^\d+$/.test(cells[1] ?? '')) continue;
    const [name, succ, fail, send, max, min, avg, tput] = cells;
    rounds.set(name ?? '', {
      name: name ?? '',
      succ: Number(succ),
      fail: Number(fail),
      sendRateTps: Number(send),
      maxLatencyS: Number(max),
      minLatencyS: Number(min),
      avgLatencyS: Number(avg),
      throughputTps: Number(tput),
    });
  }
  return [...rounds.values()];
}

export async function runCaliper(
  putMarkerTps: number,
  createTps: number,
  seconds: number,
  workers: number,
  log: (line: string) => void,
  onPid: (pid: number) => void,
): Promise<{ rounds: CaliperRound[]; command: string }> {
  install(log);
  writeConfig(putMarkerTps, createTps, seconds, workers);
  const args = [
    'launch',
    'manager',
    '--caliper-workspace',
    dir,
    '--caliper-networkconfig',
    'networkconfig.yaml',
    '--caliper-benchconfig',
    'benchconfig.yaml',
    '--caliper-flow-only-test',
  ];
  const child = spawn(caliperBin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) onPid(child.pid);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGTERM'), (seconds * 2 + 180) * 1000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  fs.writeFileSync(path.join(dir, 'last-run.log'), output);
  const rounds = parseCaliperSummary(output);
  if (code !== 0 || rounds.length === 0)
    throw new Error(`caliper exited with ${String(code)}; see bench/.caliper/last-run.log`);
  return { rounds, command: `caliper ${args.join(' ')}` };
}
