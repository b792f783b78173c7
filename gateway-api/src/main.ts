// The gateway process: reads its config file (GATEWAY_CONFIG_FILE), connects PostgreSQL, Redis, the
// Fabric peers and Keycloak's JWKS, migrates its tables and serves loopback HTTP (HTTPS with GATEWAY_TLS=1).
import Redis from 'ioredis';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { JoseTokenVerifier } from './auth/tokenVerifier';
import { loadGatewayConfig } from './config/gatewayConfig';
import { EscrowLedgerClient } from './fabric/escrowLedgerClient';
import { GatewayCache } from './fabric/gatewayCache';
import { PeerClients } from './fabric/peerClients';
import { defaultRetryPolicy } from './fabric/retry';
import { FabricCaEnroller } from './identity/caEnroller';
import { IDEMPOTENCY_TTL_SECONDS } from './idempotency/idempotencyMiddleware';
import { IdentityResolver } from './identity/identityResolver';
import { LocalFileKeyProvider } from './identity/keyProvider';
import { AuditLog } from './observability/auditLog';
import { createLogger } from './observability/logger';
import { GatewayMetrics } from './observability/metrics';
import { PgEscrowSearchStore } from './store/pgEscrowSearchStore';
import { PgIdempotencyStore } from './store/pgIdempotencyStore';
import { PgIdentityStore } from './store/pgIdentityStore';
import { PgWebhookStore } from './store/pgWebhookStore';
import { createPool, migrate } from './store/postgres';
import { prepareServerTls, tlsDirectory } from './tls/localCertificates';

async function main(): Promise<void> {
  const configFile = process.env['GATEWAY_CONFIG_FILE'];
  if (configFile === undefined) throw new Error('set GATEWAY_CONFIG_FILE');
  const config = loadGatewayConfig(configFile, process.env);
  const logger = createLogger();
  const metrics = new GatewayMetrics();
  const audit = new AuditLog(logger);

  const pool = createPool(config.postgres.connectionString);
  const applied = await migrate(pool);
  if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (error: Error) => {
    logger.warn({ err: error.message }, 'redis connection error');
  });

  const peers = new PeerClients(config.orgs);
  const gateways = new GatewayCache(peers, config);
  const ledger = new EscrowLedgerClient(
    gateways,
    peers,
    config.channel,
    config.chaincode,
    defaultRetryPolicy,
    metrics,
    config.deadlinesMs.peerCatchUp,
  );
  const keyProvider = new LocalFileKeyProvider(config.keyEncryptionKeyFile);
  const identities = new IdentityResolver(
    new PgIdentityStore(pool),
    new FabricCaEnroller(config.orgs),
    keyProvider,
    audit,
  );
  const { clockOffsetSeconds } = config.keycloak;
  const verifier = new JoseTokenVerifier({
    ...config.keycloak,
    ...(clockOffsetSeconds === 0 ? {} : { now: () => new Date(Date.now() + clockOffsetSeconds * 1000) }),
  });

  const app = createApp({
    logger,
    metrics,
    audit,
    verifier,
    redis,
    idempotencyStore: new PgIdempotencyStore(pool),
    idempotencyTimes: { ttlSeconds: IDEMPOTENCY_TTL_SECONDS, leaseSeconds: config.idempotencyLeaseSeconds },
    routes: {
      ledger,
      search: new PgEscrowSearchStore(pool),
      identities,
      audit,
      webhooks: new PgWebhookStore(pool, keyProvider),
    },
    bodyLimitBytes: config.limits.bodyBytes,
    rateLimits: { ...config.limits, keyPrefix: config.limits.rateKeyPrefix },
    readiness: {
      keycloakJwks: () => verifier.reachable(),
      fabricPeer: async () => {
        await Promise.all(config.orgs.map((org) => peers.waitForReady(org.name, 1_500)));
        return true;
      },
      postgres: async () => (await pool.query('SELECT 1')).rowCount === 1,
      redis: async () => {
        await redis.ping();
        return true;
      },
    },
  });

  const tls = config.tls
    ? prepareServerTls(
        tlsDirectory(configFile, process.env),
        ['localhost', '127.0.0.1', config.host],
        String(config.port),
      )
    : undefined;
  const server = (
    tls === undefined
      ? http.createServer(app)
      : https.createServer({ cert: tls.certPem, key: tls.keyPem }, app)
  ).listen(config.port, config.host, () => {
    const address = server.address() as AddressInfo;
    const protocol = tls === undefined ? 'http' : 'https';
    logger.info({ host: address.address, port: address.port, protocol }, 'gateway listening');
  });
  server.keepAliveTimeout = 65_000;

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      gateways.close();
      peers.close();
      void Promise.allSettled([pool.end(), redis.quit()]).then(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGTERM', () => {
    shutdown('SIGTERM');
  });
  process.on('SIGINT', () => {
    shutdown('SIGINT');
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
