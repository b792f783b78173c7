// Health probes for daemons: an HTTP endpoint answering the expected status, or an open TCP port.
import * as http from 'node:http';
import * as net from 'node:net';
import type { HealthCheck } from './serviceSpec';

const probeTimeoutMs = 2000;

export function probe(check: HealthCheck): Promise<boolean> {
  return check.kind === 'http'
    ? probeHttp(check.url, check.expectStatus ?? 200)
    : probeTcp(check.host, check.port);
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

export async function waitUntil(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  isStillWorthWaiting: () => boolean = () => true,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let delayMs = 100;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    if (!isStillWorthWaiting()) return false;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 1000);
  }
  return condition();
}
