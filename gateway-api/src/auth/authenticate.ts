// Express middleware: bearer token → verified Principal in `response.locals.principal`, or 401.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthenticatedError } from '../errors/apiError';
import { hasAnyRole, type GatewayRole, type Principal } from './principal';
import type { TokenVerifier } from './tokenVerifier';

export function authenticate(verifier: TokenVerifier): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    const token = match?.[1];
    if (token === undefined) {
      next(new UnauthenticatedError('TOKEN_MISSING', 'send a bearer access token'));
      return;
    }
    verifier.verify(token).then(
      (principal) => {
        response.locals['principal'] = principal;
        next();
      },
      (error: unknown) => {
        next(error);
      },
    );
  };
}

export function principalOf(response: Response): Principal {
  const principal = response.locals['principal'] as Principal | undefined;
  if (principal === undefined) throw new UnauthenticatedError('TOKEN_MISSING', 'send a bearer access token');
  return principal;
}

/** Refuses with 403 unless the caller holds at least one of the roles. */
export function requireAnyRole(principal: Principal, roles: readonly GatewayRole[]): void {
  if (!hasAnyRole(principal, roles))
    throw new ForbiddenError('ROLE_REQUIRED', `this operation needs one of the roles: ${roles.join(', ')}`, {
      requiredRoles: roles,
    });
}
