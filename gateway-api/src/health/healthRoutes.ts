// /healthz: the process answers. /readyz: every dependency answers (Keycloak JWKS, a Fabric peer,
// PostgreSQL, Redis), each checked with a short timeout, listed in the body.
import { Router } from 'express';
import { ROUTER_OPTIONS } from '../routing/apiRouting';

export type ReadinessCheck = () => Promise<boolean>;

async function timed(check: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check().catch(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => {
          resolve(false);
        }, timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(checks: Readonly<Record<string, ReadinessCheck>>, timeoutMs = 2_000): Router {
  const router = Router(ROUTER_OPTIONS);
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const names = Object.keys(checks);
    const results = await Promise.all(
      names.map((name) => timed(checks[name] ?? (() => Promise.resolve(false)), timeoutMs)),
    );
    const detail = Object.fromEntries(
      names.map((name, index) => [name, results[index] ? 'ok' : 'unavailable']),
    );
    const ready = results.every(Boolean);
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: detail });
  });
  return router;
}
