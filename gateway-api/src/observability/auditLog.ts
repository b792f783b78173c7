// Audit events, one JSON line each with `audit: true`: refused requests (401/403), every arbiter and
// auditor action, and every enrollment of a Fabric identity. The refusals, rate-limit hits and
// privileged actions are also security events for the SOC (offchain-db's schema, SECURITY-EVENTS.md),
// queued on the emitter without ever holding up the response.
import type { SecurityActor, SecurityEventEmitter } from '@p2p-escrow/fabric-client';
import type { Request } from 'express';
import { decodeJwt } from 'jose';
import type { Principal } from '../auth/principal';
import { RateLimitedError, type ApiError } from '../errors/apiError';
import type { FabricRoleIdentity } from '../identity/fabricRoleIdentity';
import type { Logger } from './logger';

/** The gateway's emitter and the name it reports as (`gateway-marketa`, …). */
export interface GatewaySecurityEvents {
  readonly emitter: SecurityEventEmitter;
  readonly source: string;
}

function actorOf(principal: Principal): SecurityActor {
  return { clientId: principal.clientId, subject: principal.subject, verified: true };
}

/**
 * Who a refused token claims to be: its `azp`, read WITHOUT verification, for attribution only (it
 * is marked unverified; the alert rule keyed by address does not depend on it).
 */
export function claimedActorOf(request: Request): SecurityActor {
  const token = /^Bearer (\S{1,8192})$/.exec(request.headers.authorization ?? '')?.[1];
  if (token === undefined) return { verified: false };
  try {
    const azp = decodeJwt(token)['azp'];
    return typeof azp === 'string' && azp.length > 0 && azp.length <= 256
      ? { clientId: azp, verified: false }
      : { verified: false };
  } catch {
    return { verified: false };
  }
}

function where(request: Request): { method: string; path: string } {
  return { method: request.method, path: (request.originalUrl.split('?')[0] ?? '').slice(0, 1024) };
}

export class AuditLog {
  constructor(
    private readonly logger: Logger,
    private readonly security?: GatewaySecurityEvents,
  ) {}

  /** A refused request (401, 403, 429) as a security event; never throws. */
  private securityEventOf(request: Request, error: ApiError, principal?: Principal, txId?: string): void {
    const security = this.security;
    if (security === undefined) return;
    const common = {
      source: security.source,
      actor: principal === undefined ? claimedActorOf(request) : actorOf(principal),
      ...(typeof request.id === 'string' ? { requestId: request.id } : {}),
      ...(txId === undefined ? {} : { txId }),
      ...(request.ip === undefined ? {} : { ip: request.ip }),
    };
    if (error instanceof RateLimitedError)
      security.emitter.record({
        ...common,
        type: 'ratelimit.hit',
        detail: {
          scope: error.scope,
          retryAfterSeconds: error.retryAfterSeconds,
          ...where(request),
        },
      });
    else if (error.status === 401)
      security.emitter.record({
        ...common,
        type: 'auth.failed',
        detail: { code: error.code, ...where(request) },
      });
    else if (error.status === 403)
      security.emitter.record({
        ...common,
        type: 'authz.refused',
        detail: { code: error.code, ...where(request) },
      });
  }

  /** A request refused with 429: a security event only (the request log already has the line). */
  rateLimited(request: Request, error: ApiError, principal?: Principal): void {
    this.securityEventOf(request, error, principal);
  }

  refused(request: Request, error: ApiError, principal?: Principal, transactionId?: string): void {
    this.securityEventOf(request, error, principal, transactionId);
    this.logger.warn(
      {
        audit: true,
        event: error.status === 401 ? 'authentication.refused' : 'authorization.refused',
        requestId: request.id,
        method: request.method,
        path: request.originalUrl,
        status: error.status,
        code: error.code,
        user: principal?.userId,
        client: principal?.clientId,
        ip: request.ip,
      },
      'request refused',
    );
  }

  privilegedAction(
    request: Request,
    principal: Principal,
    action: string,
    details: { escrowId?: string; transactionId?: string; outcome: string },
  ): void {
    this.logger.info(
      {
        audit: true,
        event: 'privileged.action',
        requestId: request.id,
        action,
        user: principal.userId,
        client: principal.clientId,
        roles: [...principal.roles],
        ...details,
      },
      `${action} by ${principal.userId}`,
    );
    this.security?.emitter.record({
      type: 'admin.action',
      source: this.security.source,
      actor: actorOf(principal),
      ...(typeof request.id === 'string' ? { requestId: request.id } : {}),
      ...(details.transactionId === undefined ? {} : { txId: details.transactionId }),
      ...(request.ip === undefined ? {} : { ip: request.ip }),
      detail: {
        action: action.slice(0, 1024),
        outcome: /^2\d\d$/.test(details.outcome) ? 'succeeded' : 'failed',
        ...(/^\d{3}$/.test(details.outcome) ? { status: Number(details.outcome) } : {}),
        ...(details.escrowId === undefined ? {} : { escrowId: details.escrowId.slice(0, 1024) }),
      },
    });
  }

  enrolled(identity: FabricRoleIdentity, mspId: string): void {
    this.logger.info(
      {
        audit: true,
        event: 'identity.enrolled',
        org: identity.org,
        mspId,
        user: identity.userId,
        role: identity.role,
      },
      'Fabric identity enrolled',
    );
  }
}
