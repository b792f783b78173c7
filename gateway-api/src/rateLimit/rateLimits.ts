// Rate limits, counted in Redis so every gateway replica shares them. If Redis is unreachable, an
// in-memory limiter per replica takes over (rate-limiter-flexible's insurance).
// A confidential backend (one marketplace's server) has a per-client budget on top of its per-user
// one. A public client such as the web app is used by everyone: a shared bucket would let a few busy
// users lock out every buyer and arbiter, so its users are each limited alone. Requests whose token
// is missing or refused are limited per address, so guessing tokens costs the guesser.
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { principalOf } from '../auth/authenticate';
import type { Principal } from '../auth/principal';
import { RateLimitedError, UnauthenticatedError, type RateScope } from '../errors/apiError';

export interface RateLimitOptions {
  readonly perClientPerMinute: number;
  readonly perUserPerMinute: number;
  readonly perAddressPerMinute: number;
  readonly publicClients: readonly string[];
  readonly keyPrefix?: string;
}

export interface RateBucket {
  readonly scope: RateScope;
  readonly key: string;
}

/** The budgets one authenticated request spends: its user's, and its client's unless the client is public. */
export function bucketsOf(principal: Principal, publicClients: readonly string[]): RateBucket[] {
  const user: RateBucket = { scope: 'user', key: `${principal.clientId}|${principal.subject}` };
  return publicClients.includes(principal.clientId)
    ? [user]
    : [{ scope: 'client', key: principal.clientId }, user];
}

function limiter(redis: Redis, name: string, points: number, prefix: string): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:${name}`,
    points,
    duration: 60,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${prefix}:${name}:local`, points, duration: 60 }),
  });
}

function limiters(redis: Redis, options: RateLimitOptions): Record<RateScope, RateLimiterRedis> {
  const prefix = options.keyPrefix ?? 'gateway:rl';
  return {
    client: limiter(redis, 'client', options.perClientPerMinute, prefix),
    user: limiter(redis, 'user', options.perUserPerMinute, prefix),
    address: limiter(redis, 'address', options.perAddressPerMinute, prefix),
  };
}

async function spend(limiters: Record<RateScope, RateLimiterRedis>, buckets: readonly RateBucket[]) {
  for (const { scope, key } of buckets) {
    try {
      await limiters[scope].consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), scope);
      throw rejection;
    }
  }
}

/** After authentication: spends the caller's budgets. */
export function rateLimits(redis: Redis, options: RateLimitOptions): RequestHandler {
  const byScope = limiters(redis, options);
  return (_request: Request, response: Response, next: NextFunction) => {
    spend(byScope, bucketsOf(principalOf(response), options.publicClients)).then(() => {
      next();
    }, next);
  };
}

/** Right after authentication: a refused or missing token spends its address's budget. */
export function unauthenticatedRateLimit(redis: Redis, options: RateLimitOptions): ErrorRequestHandler {
  const byScope = limiters(redis, options);
  return (error: unknown, request: Request, _response: Response, next: NextFunction) => {
    if (!(error instanceof UnauthenticatedError)) {
      next(error);
      return;
    }
    spend(byScope, [{ scope: 'address', key: request.ip ?? 'unknown' }]).then(() => {
      next(error);
    }, next);
  };
}
