// Test support for Redis's ACL users: one command sent with redis-cli (Debian's redis-tools, beside
// the server) as a given user or as nobody, and its reply as text. The password travels in the
// environment (REDISCLI_AUTH), never in the arguments.
import { portPlan, redisPassword, type RedisUser } from '@p2p-escrow/scripts';
import { execFile } from 'node:child_process';

export interface RedisReply {
  /** The reply or error line as redis-cli prints it (an error starts with its code, e.g. NOPERM). */
  readonly text: string;
  readonly isError: boolean;
}

/** Who sends: an ACL user with its password, `default` with a guess, or no AUTH at all. */
export type RedisCaller =
  | { readonly user: RedisUser }
  | { readonly user: string; readonly password: string }
  | 'unauthenticated';

export function redisCommand(caller: RedisCaller, ...command: string[]): Promise<RedisReply> {
  const auth =
    caller === 'unauthenticated'
      ? undefined
      : {
          user: caller.user,
          password: 'password' in caller ? caller.password : redisPassword(caller.user as RedisUser),
        };
  const args = ['-h', portPlan.host, '-p', String(portPlan.redis.listen), '--no-auth-warning'];
  if (auth !== undefined) args.push('--user', auth.user);
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/redis-cli',
      [...args, ...command],
      {
        env: { ...process.env, ...(auth === undefined ? {} : { REDISCLI_AUTH: auth.password }) },
        timeout: 10_000,
      },
      (error, stdout, stderr) => {
        const text = `${stdout}${stderr}`.trim();
        const isError =
          error !== null ||
          /^(\(error\) )?(ERR|NOPERM|NOAUTH|WRONGPASS|AUTH failed)/m.test(text) ||
          text.startsWith('AUTH failed');
        resolve({ text, isError });
      },
    );
  });
}
