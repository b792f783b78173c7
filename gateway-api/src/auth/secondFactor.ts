// Arbiters and auditors must have proven a second factor: Keycloak names the methods a login used in
// the token's `amr` claim (the realm's AMR mapper, from the reference each flow step declares), and
// only the steps that check a one-time code declare `otp`. A token minted without that step (an
// admin's impersonation, a client whose flow skips TOTP) carries no `otp` and is refused here.
import { UnauthenticatedError } from '../errors/apiError';
import type { GatewayRole, Principal } from './principal';

/** The roles whose tokens must prove a one-time code. */
export const SECOND_FACTOR_ROLES: readonly GatewayRole[] = ['arbiter', 'auditor'];
/** The `amr` value the realm's one-time-code steps declare (RFC 8176). */
export const ONE_TIME_CODE_METHOD = 'otp';

function methodsIn(claims: Readonly<Record<string, unknown>>): string[] {
  const amr = claims['amr'];
  return Array.isArray(amr) ? amr.filter((method): method is string => typeof method === 'string') : [];
}

/** Throws 401 SECOND_FACTOR_REQUIRED when an arbiter's or auditor's token proves no one-time code. */
export function requireSecondFactor(principal: Principal, claims: Readonly<Record<string, unknown>>): void {
  const held = SECOND_FACTOR_ROLES.filter((role) => principal.roles.has(role));
  if (held.length === 0 || methodsIn(claims).includes(ONE_TIME_CODE_METHOD)) return;
  throw new UnauthenticatedError(
    'SECOND_FACTOR_REQUIRED',
    `a token for the roles ${held.join(', ')} must prove a one-time code (amr "${ONE_TIME_CODE_METHOD}")`,
  );
}
