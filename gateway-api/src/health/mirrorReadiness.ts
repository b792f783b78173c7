// Readiness of the ledger projection the gateway searches: ready only while the mirror advances
// (has applied recent blocks, or has none to apply), so a gateway whose search answers go stale is
// taken out of rotation instead of serving an old picture as current.
import type { Pool } from 'pg';
import type { ReadinessCheck } from './healthRoutes';

/** offchain-db's `mirrorHealth`: whether the mirror keeps up with the ledger, and why not. */
export type MirrorHealth = (
  pool: Pool,
  options: { maxLagMs: number },
) => Promise<{ advancing: boolean; detail: string }>;

export function mirrorReadiness(health: MirrorHealth, pool: Pool, maxLagMs: number): ReadinessCheck {
  return async () => {
    const { advancing, detail } = await health(pool, { maxLagMs });
    return { ready: advancing, detail: advancing ? 'ok' : detail };
  };
}
