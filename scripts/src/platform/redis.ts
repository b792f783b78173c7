// Redis from Debian's apt (shared rate-limit counters of the gateway replicas), run as the `redis`
// system user on loopback with its append-only file where that user can reach it, linked from the
// state directory (see serviceDataDir).
import { stateDir } from '../env/paths';
import { portPlan } from '../env/portPlan';
import { prepareServiceDataDir, serviceDataDir, systemUser } from '../env/systemUser';
import type { DaemonSpec } from '../runner/serviceSpec';

export const redisServiceName = 'redis';

const osUser = 'redis';
const dataDir = serviceDataDir(stateDir, 'redis');

export const redisUrl = `redis://${portPlan.host}:${portPlan.redis.listen}`;

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
      return Promise.resolve();
    },
  };
}
