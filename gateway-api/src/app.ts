// Assembles the HTTP application from its parts; main.ts wires the real adapters, tests may wire others.
import express, { type Express } from 'express';
import type Redis from 'ioredis';
import { authenticate } from './auth/authenticate';
import type { TokenVerifier } from './auth/tokenVerifier';
import type { DependencyEndpoint } from './errors/dependencyFailure';
import { problemDetailsMiddleware } from './errors/problemDetails';
import { healthRoutes, type ReadinessCheck } from './health/healthRoutes';
import { idempotency } from './idempotency/idempotencyMiddleware';
import type { IdempotencyStore, IdempotencyTimes } from './idempotency/idempotencyStore';
import type { AuditLog } from './observability/auditLog';
import { auditPrivileged, httpMetrics, requestLogging } from './observability/httpObservability';
import type { Logger } from './observability/logger';
import type { GatewayMetrics } from './observability/metrics';
import { apiDocs } from './openapi/apiDocs';
import { openApiValidation } from './openapi/requestValidation';
import { rateLimits, unauthenticatedRateLimit, type RateLimitOptions } from './rateLimit/rateLimits';
import type { RouteContext } from './routes/routeContext';
import { v1Router } from './routes/v1Router';
import { API_PREFIX, matchPathsExactly } from './routing/apiRouting';
import { ApiError } from './errors/apiError';
import { consoleRoutes, type ConsoleSettings } from './console/consoleRoutes';

export interface AppParts {
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly audit: AuditLog;
  readonly verifier: TokenVerifier;
  readonly redis: Redis;
  readonly idempotencyStore: IdempotencyStore;
  readonly idempotencyTimes: IdempotencyTimes;
  readonly routes: RouteContext;
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** The readiness checks whose dependency the gateway can do without for a while (ready, degraded). */
  readonly degradableReadiness?: readonly string[];
  /** Where PostgreSQL, Redis and Keycloak listen: an error that reports one unreachable is a 503 naming it. */
  readonly dependencies?: readonly DependencyEndpoint[];
  readonly bodyLimitBytes: number;
  readonly rateLimits: RateLimitOptions;
  /** The web console's files and sign-in settings; absent: no console. */
  readonly console?: ConsoleSettings;
  /** What GET /metrics serves: every cluster worker's sum in a worker; `metrics.registry` alone otherwise. */
  readonly metricsText?: () => Promise<string>;
}

export function createApp(parts: AppParts): Express {
  const app = express();
  matchPathsExactly(app);
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLogging(parts.logger));
  app.use(httpMetrics(parts.metrics));
  app.use(healthRoutes(parts.readiness, parts.degradableReadiness));
  app.get('/metrics', async (_request, response) => {
    const text = parts.metricsText ?? (() => parts.metrics.registry.metrics());
    response.type(parts.metrics.registry.contentType).send(await text());
  });
  app.use(apiDocs());
  if (parts.console !== undefined) app.use(consoleRoutes(parts.console));
  app.use(express.json({ limit: parts.bodyLimitBytes, type: ['application/json', 'application/*+json'] }));
  app.use(
    API_PREFIX,
    authenticate(parts.verifier),
    unauthenticatedRateLimit(parts.redis, parts.rateLimits),
    auditPrivileged(parts.audit),
    rateLimits(parts.redis, parts.rateLimits),
  );
  app.use(openApiValidation({ validateResponses: true }));
  app.use(API_PREFIX, idempotency(parts.idempotencyStore, parts.logger, parts.idempotencyTimes));
  app.use(API_PREFIX, v1Router(parts.routes));
  app.use((_request, _response, next) => {
    next(new ApiError(404, 'ROUTE_NOT_FOUND', 'no such route'));
  });
  app.use(problemDetailsMiddleware(parts.logger, parts.audit, parts.dependencies));
  return app;
}
