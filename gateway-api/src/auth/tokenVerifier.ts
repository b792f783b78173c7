// Verifies Keycloak access tokens with jose against the realm's JWKS: signature, issuer, audience,
// expiry and not-before, and for arbiters and auditors the proof of a one-time code. The remote key
// set is cached and refetched when an unknown key id appears, which is how Keycloak key rotation
// reaches the gateway. Keycloak serves it over HTTPS; `caFile` names the CA its certificate comes from
// (the local deployment's own), trusted for that fetch alone.
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import * as fs from 'node:fs';
import * as https from 'node:https';
import { UnauthenticatedError, UpstreamUnavailableError } from '../errors/apiError';
import { principalFromClaims, type Principal } from './principal';
import { requireSecondFactor } from './secondFactor';

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly audience: string;
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
    return principal;
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
    return new UpstreamUnavailableError('AUTH_UNAVAILABLE', 'the identity provider key set is unreachable');
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
