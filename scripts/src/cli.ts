// Command line of the service runner: start, stop, status and restart of the system's services.
import * as fs from 'node:fs';
import { fabricBinDir, fabricCaBinDir, logsDir, repoRoot, stateDir } from './env/paths';
import { readVersions } from './env/versions';
import { removeServiceDataDirs } from './env/systemUser';
import { portPlan } from './env/portPlan';
import { endProcess, isRunning, listRecords, loadRecord } from './runner/processTable';
import { describeDaemonHealth } from './runner/health';
import { Runner, StartFailedError } from './runner/runner';
import { identityProviderServices, orgServices, systemServices } from './services';
import type { ServiceSpec } from './runner/serviceSpec';
import { channelName } from './network/topology';
import { deployedPackageId } from './network/chaincodeDeployment';
import { connectionGuide } from './platform/connectionGuide';

function printEndpoints(runner: Runner): void {
  const versions = readVersions(repoRoot);
  console.log('\np2p-escrow is running. Every service listens on 127.0.0.1.\n');
  console.log('  service                 pid      ports            health');
  for (const daemon of runner.daemons()) {
    const pid = runner.isUp(daemon.name) ? String(loadRecord(daemon.name)?.pid) : '-';
    const health = describeDaemonHealth(daemon);
    console.log(
      `  ${daemon.name.padEnd(22)}  ${pid.padEnd(7)}  ${daemon.ports.join(',').padEnd(15)}  ${health}`,
    );
  }
  console.log(`\n  channel        ${channelName} (Raft: ${Object.keys(portPlan.orderer).length} orderers)`);
  try {
    console.log(`  chaincode      ${deployedPackageId()}`);
  } catch {
    // Not packaged yet.
  }
  console.log(connectionGuide().join('\n'));
  console.log(`\n  state dir      ${stateDir}  (logs/, pids/, orgs/ crypto material, secrets/)`);
  console.log(`  binaries       ${fabricBinDir}, ${fabricCaBinDir}`);
  console.log(
    `  versions       Fabric ${versions.FABRIC_VERSION} (${versions.FABRIC_MODULE_VERSION}), Fabric CA ${versions.FABRIC_CA_VERSION}`,
  );
  console.log(
    `                 PostgreSQL ${versions.POSTGRES_MAJOR}, Redis ${versions.REDIS_MAJOR}, Kafka ${versions.KAFKA_VERSION}, Keycloak ${versions.KEYCLOAK_VERSION}, stripe-mock ${versions.STRIPE_MOCK_VERSION}`,
  );
  console.log('\n  stop with `npm stop` (add `-- --clean` to remove the state directory)\n');
}

/** Resident memory of a process and its descendants (a daemon may run children, e.g. a JVM launcher). */
function residentKb(pid: number): number {
  const own = /^VmRSS:\s+(\d+) kB$/m.exec(readProc(`/proc/${pid}/status`))?.[1];
  const children = readProc(`/proc/${pid}/task/${pid}/children`).split(' ').filter(Boolean).map(Number);
  return Number(own ?? 0) + children.reduce((sum, child) => sum + residentKb(child), 0);
}

function readProc(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * One org's part alone when P2P_ORG names it (`npm run operator -- org start`, from that org's own
 * state directory; P2P_ORG_NODES: the orderers of this host; P2P_ORG_PART=nodes: its Fabric nodes
 * alone), else the whole demo consortium.
 */
function selectedServices(env: NodeJS.ProcessEnv): { org?: string; services: ServiceSpec[] } {
  if (env['P2P_DEPLOYMENT'] === 'identity-provider')
    return { org: 'the identity provider', services: identityProviderServices() };
  const org = env['P2P_ORG'];
  if (org === undefined || org === '') return { services: systemServices() };
  const nodes = env['P2P_ORG_NODES']?.split(',').filter(Boolean);
  return { org, services: orgServices(org, nodes, env['P2P_ORG_PART'] === 'nodes' ? 'nodes' : 'deployment') };
}

function printOrgNodes(runner: Runner, org: string): void {
  console.log(`\n${org}'s nodes on ${portPlan.host} (state dir ${stateDir}):`);
  for (const daemon of runner.daemons()) {
    const pid = runner.isUp(daemon.name) ? String(loadRecord(daemon.name)?.pid) : '-';
    console.log(`  ${daemon.name.padEnd(22)}  ${pid.padEnd(7)}  ${daemon.ports.join(',')}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const [command = 'status', ...rest] = argv;
  const selected = selectedServices(process.env);
  const runner = new Runner(selected.services);
  const names = rest.filter((arg) => !arg.startsWith('--'));
  switch (command) {
    case 'start': {
      // Interrupted, a start stops what it launched rather than leave a half-started stack behind.
      for (const signal of ['SIGINT', 'SIGTERM'] as const)
        process.once(signal, () => {
          runner.interrupt(`interrupted by ${signal}`);
        });
      const launched = await runner.start(names.length > 0 ? names : undefined);
      if (names.length > 0) return;
      if (selected.org !== undefined) {
        printOrgNodes(runner, selected.org);
        return;
      }
      if (launched === 0) console.log('\np2p-escrow was already running; nothing was started.');
      printEndpoints(runner);
      return;
    }
    case 'stop':
      await runner.stop(names.length > 0 ? names : undefined);
      // A process started under other settings (e.g. per-org chaincode servers, now shared) is no
      // longer in the list, but its record is: end it too, so a full stop leaves nothing of ours.
      // One org's hosts may share its state directory (the orderers): stop only this host's list.
      if (names.length === 0 && selected.org === undefined)
        for (const record of listRecords().filter(isRunning)) {
          await endProcess(record);
          console.log(`${record.name.padEnd(22)} stopped (pid ${String(record.pid)})`);
        }
      if (rest.includes('--clean')) {
        const serviceData = removeServiceDataDirs(stateDir);
        fs.rmSync(stateDir, { recursive: true, force: true });
        console.log(`removed ${stateDir} and ${serviceData}`);
      }
      return;
    case 'restart':
      await runner.stop(names);
      await runner.restore(names);
      return;
    case 'status': {
      let allUp = true;
      let totalRssKb = 0;
      for (const daemon of runner.daemons()) {
        const healthy = await runner.isHealthy(daemon);
        allUp &&= healthy;
        const record = loadRecord(daemon.name);
        const rssKb = record !== undefined && runner.isUp(daemon.name) ? residentKb(record.pid) : 0;
        totalRssKb += rssKb;
        const state = healthy ? 'healthy' : runner.isUp(daemon.name) ? 'running, not healthy' : 'stopped';
        console.log(
          `${daemon.name.padEnd(22)} ${state.padEnd(21)} ${rssKb > 0 ? `${Math.round(rssKb / 1024)} MiB` : ''}`,
        );
      }
      console.log(`${'total resident memory'.padEnd(44)} ${Math.round(totalRssKb / 1024)} MiB`);
      process.exitCode = allUp ? 0 : 3;
      return;
    }
    default:
      throw new Error(`unknown command ${command}; use start, stop [--clean], restart <service>, status`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof StartFailedError) {
    console.error(`\nerror: npm start failed: ${error.message}\n`);
    console.error(
      error.stopped.length > 0
        ? `Everything this start launched was stopped (${error.stopped.join(', ')}).`
        : 'This start launched nothing that is still running.',
    );
    console.error(`Fix the cause and run \`npm start\` again (logs in ${logsDir}).`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
