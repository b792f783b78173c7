// Verifies Keycloak access tokens with jose against the realm's JWKS: signature, issuer, audience,
// expiry and not-before, and for arbiters and auditors the proof of a one-time code. The remote key
// set is cached and refetched when an unknown key id appears, which is how Keycloak key rotation
// reaches the gateway. Keycloak serves it over HTTPS; `caFile` names the CA its certificate comes from
// (the local deployment's own), trusted for that fetch alone. A gateway trusts its own org's realm
// only: a token of another realm is refused by name, and a principal of another org is refused too.
import { OVERSIGHT } from '@p2p-escrow/chaincode';
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import * as fs from 'node:fs';
import * as https from 'node:https';
import { ForbiddenError, UnauthenticatedError, UpstreamUnavailableError } from '../errors/apiError';
import { principalFromClaims, type Principal } from './principal';
import { requireSecondFactor } from './secondFactor';

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly audience: string;
  /** The org the gateway acts for: a principal of another org is refused (403 ORGANIZATION_NOT_SERVED). */
  readonly organization?: string;
  /** PEM file of the CA to trust for the JWKS endpoint, instead of the system's roots. */
  readonly caFile?: string;
  readonly clockToleranceSeconds?: number;
  /** The verifier's clock; tests pass a later one to see tokens expire without waiting for them. */
  readonly now?: () => Date;
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
  /** Whether the JWKS endpoint answers; readiness uses it. */
  reachable(): Promise<boolean>;
}

export class JoseTokenVerifier implements TokenVerifier {
  readonly #keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: TokenVerifierOptions) {
    const ca = options.caFile === undefined ? undefined : fs.readFileSync(options.caFile, 'utf8');
    this.#keys = createRemoteJWKSet(new URL(options.jwksUrl), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: 30_000,
      timeoutDuration: 5_000,
      // jose 5 fetches with node:https and takes an agent for it.
      ...(ca === undefined ? {} : { agent: new https.Agent({ ca, keepAlive: true }) }),
    });
  }

  async verify(token: string): Promise<Principal> {
    this.requireOwnIssuer(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['RS256', 'ES256', 'PS256'],
        clockTolerance: this.options.clockToleranceSeconds ?? 5,
        requiredClaims: ['exp', 'iat', 'sub'],
        ...(this.options.now === undefined ? {} : { currentDate: this.options.now() }),
      }));
    } catch (error) {
      throw toAuthError(error);
    }
    const principal = principalFromClaims(payload, this.options.audience);
    requireSecondFactor(principal, payload);
    this.requireOwnOrganization(principal);
    return principal;
  }

  /**
   * Names the refusal of another realm's token (another org's identity provider) before verifying
   * it: its keys are not in this realm's key set, so it could never verify anyway.
   */
  private requireOwnIssuer(token: string): void {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      return; // Not a JWT: jwtVerify refuses it as TOKEN_INVALID.
    }
    if (typeof issuer === 'string' && issuer !== this.options.issuer)
      throw new UnauthenticatedError(
        'TOKEN_ISSUER_UNTRUSTED',
        `this gateway accepts tokens of its own org's realm only (${this.options.issuer})`,
      );
  }

  /** A token of the right realm that names another org (a misconfigured user) is refused too. */
  private requireOwnOrganization(principal: Principal): void {
    const { organization } = this.options;
    if (organization === undefined) return;
    const overseer = principal.roles.has('arbiter') || principal.roles.has('auditor');
    const home = principal.marketplace ?? (overseer ? OVERSIGHT : undefined);
    if (home !== undefined && home !== organization)
      throw new ForbiddenError(
        'ORGANIZATION_NOT_SERVED',
        `this gateway acts for ${organization} only, not for ${home}`,
        { organization },
      );
  }

  /** Fetches the key set again through the verifier's own connection, so its TLS trust is probed too. */
  async reachable(): Promise<boolean> {
    try {
      await this.#keys.reload();
      return true;
    } catch {
      return false;
    }
  }
}

export function toAuthError(error: unknown): Error {
  if (error instanceof joseErrors.JWTExpired)
    return new UnauthenticatedError('TOKEN_EXPIRED', 'the access token has expired');
  if (
    error instanceof joseErrors.JWKSTimeout ||
    (error instanceof Error && error.name === 'TypeError') ||
    keySetConnectionFailed(error)
  )
    return new UpstreamUnavailableError('AUTH_UNAVAILABLE', 'the identity provider key set is unreachable', {
      dependency: 'keycloak',
    });
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return new UnauthenticatedError(
      'TOKEN_INVALID',
      `the access token was refused: ${error.claim} check failed`,
    );
  return new UnauthenticatedError('TOKEN_INVALID', 'the access token is not valid');
}

/** A connection or TLS failure of the key set's fetch (ECONNREFUSED, an untrusted certificate, …). */
function keySetConnectionFailed(error: unknown): boolean {
  return (
    error instanceof Error &&
    !(error instanceof joseErrors.JOSEError) &&
    typeof (error as NodeJS.ErrnoException).code === 'string'
  );
}
