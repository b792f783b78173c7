// Health probes for daemons: an HTTP(S) endpoint answering the expected status, an open TCP port, or
// a probe command exiting 0. HTTPS endpoints are verified against the deployment's local CA.
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import { localFetch } from '../platform/localHttps';
import type { DaemonSpec, HealthCheck } from './serviceSpec';

const probeTimeoutMs = 2000;

export function probe(check: HealthCheck): Promise<boolean> {
  switch (check.kind) {
    case 'http':
      return check.url.startsWith('https:')
        ? probeHttps(check.url, check.expectStatus ?? 200, check.clientIdentity)
        : probeHttp(check.url, check.expectStatus ?? 200);
    case 'tcp':
      return probeTcp(check.host, check.port);
    case 'command':
      return probeCommand(check.command, check.args);
  }
}

/** A daemon's health: its check, and every endpoint it lists for later steps accepting connections. */
export async function probeDaemon(daemon: Pick<DaemonSpec, 'health' | 'listeners'>): Promise<boolean> {
  const listeners = daemon.listeners ?? [];
  const answers = await Promise.all([
    probe(daemon.health),
    ...listeners.map(({ host, port }) => probeTcp(host, port)),
  ]);
  return answers.every(Boolean);
}

/** How a daemon's health reads in progress lines and the status table. */
export function describeDaemonHealth(daemon: Pick<DaemonSpec, 'health' | 'listeners'>): string {
  const listeners = (daemon.listeners ?? []).map(({ host, port }) => `tcp ${host}:${port}`);
  return [describeHealth(daemon.health), ...listeners].join(' + ');
}

/** How a health check reads in progress lines and the status table. */
export function describeHealth(check: HealthCheck): string {
  switch (check.kind) {
    case 'http':
      return check.url;
    case 'tcp':
      return `tcp ${check.host}:${check.port}`;
    case 'command':
      return [check.command.split('/').pop() ?? check.command, ...check.args].join(' ');
  }
}

function probeHttp(url: string, expectStatus: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: probeTimeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode === expectStatus);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => {
      resolve(false);
    });
  });
}

async function probeHttps(url: string, expectStatus: number, clientIdentity?: string): Promise<boolean> {
  try {
    const response = await localFetch(url, {
      signal: AbortSignal.timeout(probeTimeoutMs),
      ...(clientIdentity === undefined ? {} : { clientIdentity }),
    });
    await response.body?.cancel();
    return response.status === expectStatus;
  } catch {
    return false;
  }
}

function probeTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: probeTimeoutMs });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => {
      resolve(false);
    });
  });
}

function probeCommand(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: probeTimeoutMs }, (error) => {
      resolve(error === null);
    });
  });
}

export async function waitUntil(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  isStillWorthWaiting: () => boolean = () => true,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let delayMs = 50;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    if (!isStillWorthWaiting()) return false;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    // At most a quarter second late: a daemon restarted in a test is waited for many times a run.
    delayMs = Math.min(delayMs * 2, 250);
  }
  return condition();
}
