// The consortium spread over the test's hosts: each org's operator runs the operator commands in
// its own host's namespace against its own state directory; the only files that cross between
// orgs are the public bundles, copied into a mailbox folder as an operator would send them.
import { peerOrg, portPlan, portsOf, repoRoot } from '@p2p-escrow/scripts';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import type { Host } from './hostNetwork';

const operatorMain = path.join(repoRoot, 'scripts', 'dist', 'operator', 'main.js');

export interface OrgHost {
  org: string;
  /** The org's own state directory (the orderer org's hosts share one: one org, one operator). */
  state: string;
  host: Host;
  /** The orderer this host runs (orderer org only). */
  node?: string;
}

/** Operator commands still running: each leads its own process group (itself and its runner). */
const running = new Set<ChildProcess>();

/** Ends every operator command still running, with its runner, so none starts a node after this. */
export function killOperatorCommands(): void {
  for (const child of running) killGroup(child);
  running.clear();
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Ended already.
  }
}

/**
 * Runs `npm run operator -- ...args` inside the host's namespace, bounded by `timeoutMs`; fails with
 * its stderr when it does.
 */
export function operatorOn(on: OrgHost, timeoutMs: number, ...args: string[]): Promise<string> {
  const argv = ['netns', 'exec', on.host.namespace, process.execPath, operatorMain, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn('ip', argv, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${String(timeoutMs)} ms)`;
      killGroup(child);
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) resolve(stdout);
      else reject(new Error(`operator ${args.join(' ')} on ${on.host.namespace} failed: ${stderr}`));
    });
  });
}

/** `--state` and `--address`: the org's own directory and host, for the commands acting as the org. */
export function ownHost(on: OrgHost): string[] {
  return ['--state', on.state, '--address', on.host.address];
}

/** Copies an exported bundle into the mailbox, as its operator would send it; returns its place there. */
export function post(outbox: string, mailbox: string, name: string): string {
  const target = path.join(mailbox, name);
  fs.cpSync(outbox, target, { recursive: true });
  return target;
}

export function peerPortOf(org: string): number {
  return portsOf(portPlan.peer, org).listen;
}

/**
 * One value of a node's Prometheus metrics, read as the node's own operator reads it: over TLS from
 * the org's local service CA, with the operations client certificate of the org's state directory.
 */
export function metricOf(on: OrgHost, port: number, pattern: RegExp): Promise<number | undefined> {
  const tls = path.join(on.state, 'tls');
  return new Promise((resolve) => {
    const request = https.get(
      {
        host: on.host.address,
        port,
        path: '/metrics',
        ca: fs.readFileSync(path.join(tls, 'ca', 'ca.pem')),
        cert: fs.readFileSync(path.join(tls, 'client-operations.pem')),
        key: fs.readFileSync(path.join(tls, 'client-operations-key.pem')),
        timeout: 3000,
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => {
          const value = pattern.exec(body)?.[1];
          resolve(value === undefined ? undefined : Number(value));
        });
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => {
      resolve(undefined);
    });
  });
}

export function operationsPortOf(on: OrgHost): number {
  return on.node === undefined
    ? portsOf(portPlan.peer, peerOrg(on.org).name).operations
    : portsOf(portPlan.orderer, on.node).operations;
}
