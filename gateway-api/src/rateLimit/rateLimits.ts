// Rate limits per OAuth client and per user, counted in Redis so every gateway replica shares them.
// If Redis is unreachable, an in-memory limiter per replica takes over (rate-limiter-flexible's insurance).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { principalOf } from '../auth/authenticate';
import { RateLimitedError } from '../errors/apiError';

export interface RateLimitOptions {
  readonly perClientPerMinute: number;
  readonly perUserPerMinute: number;
  readonly keyPrefix?: string;
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

export function rateLimits(redis: Redis, options: RateLimitOptions): RequestHandler {
  const prefix = options.keyPrefix ?? 'gateway:rl';
  const perClient = limiter(redis, 'client', options.perClientPerMinute, prefix);
  const perUser = limiter(redis, 'user', options.perUserPerMinute, prefix);
  return (request: Request, response: Response, next: NextFunction) => {
    const principal = principalOf(response);
    const consume = async (): Promise<void> => {
      for (const [scope, rateLimiter, key] of [
        ['client', perClient, principal.clientId],
        ['user', perUser, principal.subject],
      ] as const) {
        try {
          await rateLimiter.consume(key);
        } catch (rejection) {
          if (rejection instanceof RateLimiterRes)
            throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), scope);
          throw rejection;
        }
      }
    };
    consume().then(() => {
      next();
    }, next);
  };
}
