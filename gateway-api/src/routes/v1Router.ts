// The /v1 surface: one line per route.
import { Router } from 'express';
import { createEscrowRoute } from './escrows/createEscrow';
import { listEscrowsRoute } from './escrows/listEscrows';
import { getEscrowRoute, getHistoryRoute } from './escrows/readEscrow';
import { TRANSITIONS, transitionRoute } from './escrows/transitions';
import type { RouteContext } from './routeContext';
import { getTransactionRoute } from './transactions/getTransaction';
import { getReputationRoute } from './users/getReputation';

export function v1Router(context: RouteContext): Router {
  const router = Router();
  router.post('/escrows', createEscrowRoute(context));
  router.get('/escrows', listEscrowsRoute(context));
  router.get('/escrows/:escrowId', getEscrowRoute(context));
  router.get('/escrows/:escrowId/history', getHistoryRoute(context));
  for (const transition of TRANSITIONS)
    router.post(`/escrows/:escrowId/${transition.path}`, transitionRoute(context, transition));
  router.get('/users/:marketplace/:userId/reputation', getReputationRoute(context));
  router.get('/transactions/:txId', getTransactionRoute(context));
  return router;
}
