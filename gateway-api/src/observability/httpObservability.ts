// Request ids, request logs (pino-http) carrying user and Fabric transaction id, HTTP metrics by
// route and status, and the audit trail of every arbiter and auditor action.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import * as crypto from 'node:crypto';
import { pinoHttp } from 'pino-http';
import type { Principal } from '../auth/principal';
import type { AuditLog } from './auditLog';
import type { Logger } from './logger';
import type { GatewayMetrics } from './metrics';

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/;

export function requestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (request, response) => {
      const offered = request.headers['x-request-id'];
      const id =
        typeof offered === 'string' && requestIdPattern.test(offered) ? offered : crypto.randomUUID();
      response.setHeader('X-Request-Id', id);
      return id;
    },
    customProps: (_request, response) => {
      const locals = (response as unknown as Response).locals as Record<string, unknown> | undefined;
      const principal = locals?.['principal'] as Principal | undefined;
      return {
        user: principal?.userId,
        client: principal?.clientId,
        transactionId: locals?.['transactionId'],
        code: locals?.['errorCode'],
      };
    },
    serializers: {
      req: (request: { id: unknown; method: unknown; url: unknown }) => ({
        id: request.id,
        method: request.method,
        url: request.url,
      }),
    },
    customLogLevel: (_request, response, error) =>
      error !== undefined || response.statusCode >= 500
        ? 'error'
        : response.statusCode >= 400
          ? 'warn'
          : 'info',
    // The problem-details middleware logs real failures with their cause; a status line needs no stack.
    customErrorObject: (_request, _response, _error, loggable: Record<string, unknown>) => ({
      ...loggable,
      err: undefined,
    }),
    autoLogging: { ignore: (request) => request.url === '/healthz' || request.url === '/metrics' },
  });
}

function routeLabel(request: Request, response: Response): string {
  const labelled: unknown = response.locals['route'];
  if (typeof labelled === 'string') return labelled;
  const route = request.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? `${request.baseUrl}${route.path}` : 'unmatched';
}

export function httpMetrics(metrics: GatewayMetrics): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = performance.now();
    response.on('finish', () => {
      const labels = {
        method: request.method,
        route: routeLabel(request, response),
        status: String(response.statusCode),
      };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
    });
    next();
  };
}

export function auditPrivileged(audit: AuditLog): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const principal = response.locals['principal'] as Principal | undefined;
    if (principal !== undefined && (principal.roles.has('arbiter') || principal.roles.has('auditor'))) {
      response.on('finish', () => {
        const escrowId = /\/escrows\/([^/?]+)/.exec(request.originalUrl)?.[1];
        const transactionId = response.locals['transactionId'] as string | undefined;
        audit.privilegedAction(
          request,
          principal,
          `${request.method} ${request.originalUrl.split('?')[0] ?? ''}`,
          {
            ...(escrowId === undefined ? {} : { escrowId }),
            ...(transactionId === undefined ? {} : { transactionId }),
            outcome: String(response.statusCode),
          },
        );
      });
    }
    next();
  };
}
