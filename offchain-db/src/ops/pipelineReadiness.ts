// /readyz of a daemon downstream of the mirror (relay, notifier, keeper): its own health, and the
// mirror advancing. While the mirror is stalled the outbox, Kafka, the webhooks and the keeper's view
// of the deadlines all stand still, so such a daemon is alive but not ready, and says why.
import type { Pool } from 'pg';
import { mirrorHealth } from '../mirror/mirrorHealth';
import type { HealthReport } from './opsServer';

export function pipelineReadiness(
  pool: Pool,
  maxLagMs: number,
  health: () => Promise<HealthReport>,
): () => Promise<HealthReport> {
  return async () => {
    const [own, mirror] = await Promise.all([
      health(),
      mirrorHealth(pool, { maxLagMs }).catch((error: unknown) => ({
        advancing: false,
        detail: `mirror progress unreadable: ${String(error)}`,
      })),
    ]);
    return { ...own, healthy: own.healthy && mirror.advancing, mirror: mirror.detail };
  };
}
