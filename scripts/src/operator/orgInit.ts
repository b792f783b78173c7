// `org init`: creates one org in its own state directory with the runner's own CA code: starts the
// org's Fabric CA there for the duration of the command, registers and enrolls its nodes, admins and
// users (enrollOrg, as `npm start` does), writes its MSP, then stops the CA. Nothing of another org
// is created or read, so the directory holds that org's private keys only.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  caHealth,
  caHome,
  caServerCommand,
  enrollOrg,
  type OrgCaPlace,
} from '../network/certificateAuthority';
import { orgMspDir } from '../network/topology';
import { probe, waitUntil } from '../runner/health';
import { EXIT_USAGE, OperatorError } from './operatorError';

export interface OrgInitRequest {
  org: string;
  place: OrgCaPlace;
  progress: (line: string) => void;
}

/** The orgs whose material already lives under the state directory's `orgs/`. */
function orgsIn(root: string): string[] {
  const dir = path.join(root, 'orgs');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

function lastLine(file: string): string {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
  return text.split('\n').at(-1) ?? '';
}

function isRunning(server: ChildProcess): boolean {
  return server.exitCode === null && server.signalCode === null;
}

/** SIGTERM, then SIGKILL if it has not exited within 10 s. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (!isRunning(server)) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (isRunning(server)) server.kill('SIGKILL');
}

export async function initOrg({ org, place, progress }: OrgInitRequest): Promise<string> {
  const others = orgsIn(place.root).filter((name) => name !== org.toLowerCase());
  if (others.length > 0)
    throw new OperatorError(
      'STATE_HOLDS_OTHER_ORG',
      `${place.root} already holds ${others.join(', ')}; give each org its own state directory`,
      EXIT_USAGE,
    );
  const logFile = path.join(place.root, 'logs', `ca-${org.toLowerCase()}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.mkdirSync(caHome(org, place.root), { recursive: true });
  const command = caServerCommand(org, place);
  progress(`starting ${org}'s Fabric CA on port ${String(place.port)} (log: ${logFile})`);
  const log = fs.openSync(logFile, 'a');
  const server = spawn(command.command, command.args, {
    env: { ...process.env, ...command.env() },
    cwd: place.root,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  try {
    const healthy = await waitUntil(
      () => probe(caHealth(place)),
      60_000,
      () => isRunning(server),
    );
    if (!healthy) {
      const state = isRunning(server) ? 'is not healthy after 60s' : 'exited';
      throw new OperatorError('CA_FAILED', `${org}'s CA ${state}: ${lastLine(logFile)}`);
    }
    progress(`registering and enrolling ${org}'s nodes, admin and users`);
    await enrollOrg(org, place);
  } finally {
    progress(`stopping ${org}'s Fabric CA`);
    await stopServer(server);
  }
  return orgMspDir(org, place.root);
}
