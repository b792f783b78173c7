// The operations endpoint of each off-chain daemon, on its own loopback port: /healthz answers 200
// while the daemon's health check passes, /readyz while it is also useful (a daemon downstream of the
// mirror is not while the mirror is stalled), /metrics serves the Prometheus registry.
import * as http from 'node:http';
import type { Registry } from 'prom-client';
import type { OpsConfig } from '../config/offchainConfig';

export interface HealthReport {
  readonly healthy: boolean;
  readonly [detail: string]: unknown;
}

export function startOpsServer(
  config: OpsConfig,
  registry: Registry,
  health: () => Promise<HealthReport>,
  beforeScrape: () => Promise<void> = () => Promise.resolve(),
  readiness: () => Promise<HealthReport> = health,
): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const reply = (status: number, contentType: string, body: string) => {
      response.writeHead(status, { 'content-type': contentType });
      response.end(body);
    };
    const route = async () => {
      const check = request.url === '/healthz' ? health : request.url === '/readyz' ? readiness : undefined;
      if (check !== undefined) {
        const report = await check();
        reply(report.healthy ? 200 : 503, 'application/json', JSON.stringify(report));
      } else if (request.url === '/metrics') {
        await beforeScrape();
        reply(200, registry.contentType, await registry.metrics());
      } else {
        reply(404, 'text/plain', 'not found\n');
      }
    };
    route().catch((error: unknown) => {
      reply(500, 'text/plain', `${String(error)}\n`);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      resolve(server);
    });
  });
}
