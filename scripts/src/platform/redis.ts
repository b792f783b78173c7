// Redis from Debian's apt (shared rate-limit counters of the gateway replicas), run as the `redis`
// system user on loopback with its append-only file where that user can reach it, linked from the
// state directory (see serviceDataDir). Every client signs in as its own ACL user, limited to the
// commands and keys its job needs; the passwordless `default` user is switched off.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDir } from '../env/paths';
import { portPlan } from '../env/portPlan';
import { namedSecret } from '../env/stateSecret';
import { prepareServiceDataDir, serviceDataDir, systemUser } from '../env/systemUser';
import type { DaemonSpec } from '../runner/serviceSpec';

export const redisServiceName = 'redis';

const osUser = 'redis';
const dataDir = serviceDataDir(stateDir, 'redis');
/** The ACL users, rewritten at every start; it holds password hashes only. */
const aclFile = path.join(dataDir, 'users.acl');

/** Who uses Redis, and for what: each entry is one ACL user. */
export const redisUsers = {
  // Rate-limit counters (rate-limiter-flexible: a Lua script of SET NX, INCRBY, PTTL, EXPIRE; GET,
  // DEL and MULTI for reads and resets), under the gateway's key prefix; PING and INFO for its
  // readiness and ioredis's ready check.
  gateway: {
    keys: ['gateway:rl:*'],
    commands: [
      'ping',
      'info',
      'get',
      'set',
      'del',
      'incrby',
      'pttl',
      'expire',
      'multi',
      'exec',
      'discard',
      'eval',
      'evalsha',
    ],
  },
} as const;
export type RedisUser = keyof typeof redisUsers;

export function redisPassword(user: RedisUser): string {
  return namedSecret(`redis-${user}-password`);
}

/** The URL `user` connects with: its ACL user name and password. */
export function redisUrl(user: RedisUser): string {
  return `redis://${user}:${encodeURIComponent(redisPassword(user))}@${portPlan.host}:${portPlan.redis.listen}`;
}

/** The address alone, for the connection guide. */
export const redisAddress = `redis://${portPlan.host}:${portPlan.redis.listen}`;

function aclRules(): string {
  const lines = ['user default off resetpass resetkeys resetchannels -@all'];
  for (const [user, { keys, commands }] of Object.entries(redisUsers)) {
    const hash = crypto
      .createHash('sha256')
      .update(redisPassword(user as RedisUser))
      .digest('hex');
    const keyRules = keys.map((pattern) => `~${pattern}`).join(' ');
    const commandRules = commands.map((command) => `+${command}`).join(' ');
    lines.push(
      `user ${user} on resetpass #${hash} resetkeys ${keyRules} resetchannels -@all ${commandRules}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function writeAclFile(): void {
  const owner = systemUser(osUser);
  fs.writeFileSync(aclFile, aclRules(), { mode: 0o600 });
  fs.chmodSync(aclFile, 0o600);
  fs.chownSync(aclFile, owner.uid, owner.gid);
}

export function redisDaemon(): DaemonSpec {
  return {
    kind: 'daemon',
    name: redisServiceName,
    description: 'Redis: rate limits shared across gateway replicas',
    dependsOn: [],
    command: '/usr/bin/redis-server',
    args: [
      '--bind',
      portPlan.host,
      '--port',
      String(portPlan.redis.listen),
      '--dir',
      dataDir,
      '--daemonize',
      'no',
      '--appendonly',
      'yes',
      '--save',
      '',
      '--logfile',
      '',
      // Redis rewrites its command line by default; the runner identifies its processes by it.
      '--set-proc-title',
      'no',
      '--aclfile',
      aclFile,
    ],
    env: {},
    cwd: dataDir,
    user: osUser,
    ports: [portPlan.redis.listen],
    health: { kind: 'tcp', host: portPlan.host, port: portPlan.redis.listen },
    startTimeoutSeconds: 30,
    // A Redis started from elsewhere (the state directory itself, before) is restarted here.
    fingerprint: () => dataDir,
    prepare: () => {
      prepareServiceDataDir(systemUser(osUser), stateDir, 'redis');
      writeAclFile();
      return Promise.resolve();
    },
  };
}
