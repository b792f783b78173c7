// Audit events, one JSON line each with `audit: true`: refused requests (401/403), every arbiter and
// auditor action, and every enrollment of a Fabric identity.
import type { Request } from 'express';
import type { Principal } from '../auth/principal';
import type { ApiError } from '../errors/apiError';
import type { FabricRoleIdentity } from '../identity/fabricRoleIdentity';
import type { Logger } from './logger';

export class AuditLog {
  constructor(private readonly logger: Logger) {}

  refused(request: Request, error: ApiError, principal?: Principal): void {
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
