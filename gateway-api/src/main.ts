// The gateway process: reads its P2P_* environment (config/gatewayConfig.ts), connects PostgreSQL
// (whose tables the runner has migrated), Redis, the Fabric peers and Keycloak's JWKS, and serves
// HTTPS (plain loopback HTTP only when development sets P2P_GATEWAY_TLS=0). With P2P_GATEWAY_WORKERS
// above 1 it is the primary of that many such processes on its one port (cluster/gatewayWorkers.ts).
import { LocalFileKeyProvider, PeerClientPool } from '@p2p-escrow/fabric-client';
import {
  mirrorHealth,
  mirrorLagHistory,
  mirrorPositions,
  PgFlaggedReviews,
  PgWebhookRedelivery,
  PgWebhookStore,
  securityEmitterFromEnvironment,
  webhookEndpointConfig,
} from '@p2p-escrow/offchain-db';
import { isMarketplace } from '@p2p-escrow/chaincode';
import type { Pool } from 'pg';
import {
  identityVerifierFromEnvironment,
  paymentCollectorFromEnvironment,
  PgPartyVerifications,
  PgPendingPayouts,
} from '@p2p-escrow/payments';
import Redis from 'ioredis';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { JoseTokenVerifier } from './auth/tokenVerifier';
import { loadGatewayConfig, orgDirectory, peerEndpointsOf } from './config/gatewayConfig';
import { portOfUrl } from './errors/dependencyFailure';
import { EscrowLedgerClient } from './fabric/escrowLedgerClient';
import { EscrowPartiesCache } from './fabric/escrowPartiesCache';
import { GatewayCache } from './fabric/gatewayCache';
import { defaultRetryPolicy } from './fabric/retry';
import { FabricCaEnroller } from './identity/caEnroller';
import { IDEMPOTENCY_TTL_SECONDS } from './idempotency/idempotencyMiddleware';
import { mirrorReadiness } from './health/mirrorReadiness';
import { ConsortiumLedger } from './fabric/consortiumLedger';
import { IdentityResolver } from './identity/identityResolver';
import { AuditLog } from './observability/auditLog';
import { createLogger } from './observability/logger';
import { GatewayMetrics } from './observability/metrics';
import { PgEscrowSearchStore } from './store/pgEscrowSearchStore';
import { PgEventStore } from './store/pgEventStore';
import { PgIdempotencyStore } from './store/pgIdempotencyStore';
import { PgIdentityStore } from './store/pgIdentityStore';
import { PgTransactionRegistry } from './store/pgTransactionRegistry';
import { createPool } from './store/postgres';
import type { VerificationDesk } from './routes/parties/partyVerification';
import { issuedGatewayTls, prepareGatewayTls } from './tls/gatewayCertificate';
import { isPrimaryProcess, superviseWorkers, workerMetrics } from './cluster/gatewayWorkers';
import type { GatewayConfig } from './config/gatewayConfig';

/**
 * A marketplace's gateway opens its parties' verifications and reads its payments schema
 * (`payments_<org>`, granted to its role by the payments migrations); Oversight's has no parties.
 */
function verificationDeskOf(org: string, pool: Pool): VerificationDesk | undefined {
  if (!isMarketplace(org)) return undefined;
  const schema = `payments_${org.toLowerCase()}`;
  return {
    marketplace: org,
    provider: identityVerifierFromEnvironment(process.env, 'gateway'),
    records: new PgPartyVerifications(pool, schema),
    pending: new PgPendingPayouts(pool, schema),
  };
}

// The parties of the escrows this gateway created or read lately (a few hundred bytes each).
const ESCROW_PARTIES_CACHE_SIZE = 100_000;

/** One gateway process: alone, or one of its primary's cluster workers. */
function serve(config: GatewayConfig, clustered: boolean): void {
  // Read at start, so a malformed P2P_WEBHOOK_* setting stops the gateway before it serves.
  const webhookEndpoints = webhookEndpointConfig(process.env);
  const logger = createLogger();
  const metrics = new GatewayMetrics();
  // Refusals, rate-limit hits and privileged actions also go to the SOC's topic and file.
  const securitySource = `gateway-${config.org.name.toLowerCase()}`;
  const security = securityEmitterFromEnvironment(process.env, securitySource, metrics.registry);
  const audit = new AuditLog(logger, { emitter: security, source: securitySource });

  const lostConnection = (error: Error) => {
    logger.warn({ err: error.message }, 'postgres connection lost');
  };
  const pool = createPool(config.database, lostConnection);
  // Search, events and the mirror's progress come from the org's own projection (a pool of its own when apart).
  const projection =
    config.projectionDatabase.url === config.database.url
      ? pool
      : createPool(config.projectionDatabase, lostConnection);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (error: Error) => {
    logger.warn({ err: error.message }, 'redis connection error');
  });

  const peers = new PeerClientPool(peerEndpointsOf(config.orgs));
  const gateways = new GatewayCache(peers, config.deadlines, config.connectionCacheSize);
  const ledger = new EscrowLedgerClient(
    gateways,
    orgDirectory(config.orgs),
    config.channel,
    config.chaincode,
    defaultRetryPolicy,
    metrics,
    config.peerCatchUpMs,
    new EscrowPartiesCache(ESCROW_PARTIES_CACHE_SIZE),
    config.offerPolicy,
  );
  // A key per purpose: the notifier shares the webhook key, never the one that opens Fabric identities.
  const identityKeys = new LocalFileKeyProvider(config.keyEncryptionKeyFiles.identity);
  const webhookKeys = new LocalFileKeyProvider(config.keyEncryptionKeyFiles.webhook);
  // The gateway acts for one org: its users only, enrolled at its CA only, signing through its peer.
  const identities = new IdentityResolver(
    config.org.name,
    new PgIdentityStore(pool, config.databaseSchema),
    new FabricCaEnroller(config.org),
    identityKeys,
    audit,
  );
  const { clockOffsetSeconds } = config.keycloak;
  const verifier = new JoseTokenVerifier({
    ...config.keycloak,
    organization: config.org.name,
    ...(clockOffsetSeconds === 0 ? {} : { now: () => new Date(Date.now() + clockOffsetSeconds * 1000) }),
  });

  const app = createApp({
    logger,
    metrics,
    audit,
    verifier,
    redis,
    idempotencyStore: new PgIdempotencyStore(pool, config.databaseSchema),
    idempotencyTimes: { ttlSeconds: IDEMPOTENCY_TTL_SECONDS, leaseSeconds: config.idempotencyLeaseSeconds },
    routes: {
      ledger,
      search: new PgEscrowSearchStore(projection),
      identities,
      audit,
      webhooks: new PgWebhookStore(pool, webhookKeys, webhookEndpoints),
      transactions: new PgTransactionRegistry(pool, config.databaseSchema),
      payments: paymentCollectorFromEnvironment(process.env, 'gateway'),
      // Events from the org's projection; redelivery queues on the delivery log the notifier sends from.
      events: new PgEventStore(projection),
      redelivery: new PgWebhookRedelivery(pool),
      // The review-ring flags are recorded next to the auditor's projection, in the shared database.
      flaggedReviews: new PgFlaggedReviews(pool),
      consortium: {
        ledger: new ConsortiumLedger(gateways, orgDirectory(config.orgs), config.channel, config.chaincode),
        mirrorPositions: () => mirrorPositions(projection),
        mirrorLagHistory: () => mirrorLagHistory(projection),
      },
      verifications: verificationDeskOf(config.org.name, pool),
    },
    bodyLimitBytes: config.limits.bodyBytes,
    ...(clustered ? { metricsText: workerMetrics(metrics.registry) } : {}),
    ...(config.console === null
      ? {}
      : {
          console: {
            ...config.console,
            issuer: config.keycloak.issuer,
            organization: config.org.name,
          },
        }),
    rateLimits: { ...config.limits, keyPrefix: config.limits.rateKeyPrefix },
    dependencies: [
      { dependency: 'postgres', port: portOfUrl(config.database.url) },
      { dependency: 'postgres', port: portOfUrl(config.projectionDatabase.url) },
      { dependency: 'redis', port: portOfUrl(config.redisUrl) },
      { dependency: 'keycloak', port: portOfUrl(config.keycloak.jwksUrl) },
    ],
    // Without Redis rate limits are counted per replica; without Keycloak tokens verify with the cached keys.
    degradableReadiness: ['redis', 'keycloakJwks'],
    readiness: {
      keycloakJwks: () => verifier.reachable(),
      // Its own peer: the others' are waited on after a write, never needed to serve.
      fabricPeer: async () => {
        await peers.waitForReady(config.org.name, 1_500);
        return true;
      },
      postgres: async () => (await pool.query('SELECT 1')).rowCount === 1,
      redis: async () => {
        await redis.ping();
        return true;
      },
      mirror: mirrorReadiness(mirrorHealth, projection, config.mirrorMaxLagMs),
    },
  });

  // A cluster worker serves the certificate its primary issued, the same for every worker of the port.
  const tls = clustered ? issuedGatewayTls(config) : prepareGatewayTls(config);
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

  let stopping = false;
  const shutdown = (signal: string) => {
    // A terminal's Ctrl-C reaches a cluster worker twice: from the terminal and from its primary.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      ledger.close();
      gateways.close();
      peers.close();
      const pools = projection === pool ? [pool] : [pool, projection];
      void Promise.allSettled([...pools.map((each) => each.end()), redis.quit(), security.close(2_000)]).then(
        () => process.exit(0),
      );
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

function main(): void {
  const config = loadGatewayConfig(process.env);
  if (config.workers === 1) {
    serve(config, false);
  } else if (isPrimaryProcess()) {
    // Issued once, before any worker starts, so every worker of the port serves the same one.
    prepareGatewayTls(config);
    superviseWorkers(config.workers, createLogger());
  } else {
    serve(config, true);
  }
}

try {
  main();
} catch (error: unknown) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
