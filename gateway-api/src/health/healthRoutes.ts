// /healthz: the process answers. /readyz: every dependency answers (Keycloak JWKS, a Fabric peer,
// PostgreSQL, Redis, the mirror advancing), each checked with a short timeout, listed in the body
// with the missing ones named. A dependency the gateway can do without for a while (Redis: rate
// limits counted per replica; Keycloak: tokens verified with the cached key set) leaves it ready but
// `degraded`; any other missing one makes it not ready (503), out of rotation.
import { Router } from 'express';
import { ROUTER_OPTIONS } from '../routing/apiRouting';

/** A dependency's readiness: a bare yes/no, or one with a word on why. */
export type ReadinessCheck = () => Promise<boolean | { readonly ready: boolean; readonly detail: string }>;

interface CheckResult {
  readonly ready: boolean;
  readonly detail: string;
}

async function timed(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const unavailable: CheckResult = { ready: false, detail: 'unavailable' };
  try {
    const answer = await Promise.race([
      check().catch(() => false),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => {
          resolve(false);
        }, timeoutMs);
      }),
    ]);
    if (typeof answer === 'boolean') return answer ? { ready: true, detail: 'ok' } : unavailable;
    return answer;
  } finally {
    clearTimeout(timer);
  }
}

export interface ReadinessReport {
  readonly status: 200 | 503;
  readonly body: {
    readonly status: 'ready' | 'degraded' | 'not ready';
    readonly checks: Record<string, string>;
    /** The dependencies that did not answer, by check name. */
    readonly missing: string[];
  };
}

/**
 * Runs every check: ready when all answer, degraded (still 200) when only `degradable` ones are
 * missing, else not ready (503).
 */
export async function readinessReport(
  checks: Readonly<Record<string, ReadinessCheck>>,
  timeoutMs: number,
  degradable: readonly string[] = [],
): Promise<ReadinessReport> {
  const names = Object.keys(checks);
  const results = await Promise.all(
    names.map((name) => timed(checks[name] ?? (() => Promise.resolve(false)), timeoutMs)),
  );
  const detail = Object.fromEntries(
    names.map((name, index) => [name, results[index]?.detail ?? 'unavailable']),
  );
  const missing = names.filter((_name, index) => results[index]?.ready !== true);
  const serving = missing.every((name) => degradable.includes(name));
  const status = missing.length === 0 ? 'ready' : serving ? 'degraded' : 'not ready';
  return { status: serving ? 200 : 503, body: { status, checks: detail, missing } };
}

export function healthRoutes(
  checks: Readonly<Record<string, ReadinessCheck>>,
  degradable: readonly string[] = [],
  timeoutMs = 2_000,
): Router {
  const router = Router(ROUTER_OPTIONS);
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const report = await readinessReport(checks, timeoutMs, degradable);
    response.status(report.status).json(report.body);
  });
  return router;
}
