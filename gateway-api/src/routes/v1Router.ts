// The /v1 surface: one line per route. Each route records its pattern for the metrics' `route` label
// (Express forgets the mount path once the router is left).
import type { RequestHandler, Router } from 'express';
import { apiRouter } from '../routing/apiRouting';
import { createEscrowRoute } from './escrows/createEscrow';
import { getConsortiumStatusRoute, getTrustAnchorsRoute } from './consortium/consortiumRoutes';
import { createPaymentRoute } from './escrows/createPayment';
import { listEscrowsRoute } from './escrows/listEscrows';
import { getProofRoute } from './escrows/escrowProof';
import { getPrivateDetailsRoute } from './escrows/privateDetails';
import { getPayoutRoute } from './escrows/payoutView';
import { getEscrowRoute, getHistoryRoute } from './escrows/readEscrow';
import { getVerificationRoute, startVerificationRoute } from './parties/partyVerification';
import { TRANSITIONS, transitionRoute } from './escrows/transitions';
import { getEventRoute, listEventsRoute } from './events/listEvents';
import type { RouteContext } from './routeContext';
import { getTransactionRoute } from './transactions/getTransaction';
import { getReputationRoute } from './users/getReputation';
import {
  createWebhookRoute,
  deleteWebhookRoute,
  listWebhooksRoute,
  rotateWebhookSecretRoute,
} from './webhooks/webhookRoutes';
import { redeliverWebhookRoute } from './webhooks/redeliverWebhook';

const labelled =
  (pattern: string): RequestHandler =>
  (_request, response, next) => {
    response.locals['route'] = `/v1${pattern}`;
    next();
  };

export function v1Router(context: RouteContext): Router {
  const router = apiRouter();
  const post = (pattern: string, handler: RequestHandler) => router.post(pattern, labelled(pattern), handler);
  const get = (pattern: string, handler: RequestHandler) => router.get(pattern, labelled(pattern), handler);
  post('/escrows', createEscrowRoute(context));
  get('/escrows', listEscrowsRoute(context));
  get('/escrows/:escrowId', getEscrowRoute(context));
  get('/escrows/:escrowId/history', getHistoryRoute(context));
  get('/escrows/:escrowId/proof', getProofRoute(context));
  get('/escrows/:escrowId/private-details', getPrivateDetailsRoute(context));
  post('/escrows/:escrowId/payment', createPaymentRoute(context));
  get('/escrows/:escrowId/payout', getPayoutRoute(context));
  for (const transition of TRANSITIONS)
    post(`/escrows/:escrowId/${transition.path}`, transitionRoute(context, transition));
  get('/users/:marketplace/:userId/reputation', getReputationRoute(context));
  post('/parties/:partyId/verification', startVerificationRoute(context));
  get('/parties/:partyId/verification', getVerificationRoute(context));
  get('/transactions/:txId', getTransactionRoute(context));
  get('/consortium/trust-anchors', getTrustAnchorsRoute(context));
  get('/consortium/status', getConsortiumStatusRoute(context));
  get('/events', listEventsRoute(context));
  get('/events/:eventId', getEventRoute(context));
  post('/webhooks', createWebhookRoute(context.webhooks));
  get('/webhooks', listWebhooksRoute(context.webhooks));
  router.delete(
    '/webhooks/:webhookId',
    labelled('/webhooks/:webhookId'),
    deleteWebhookRoute(context.webhooks),
  );
  post('/webhooks/:webhookId/rotate-secret', rotateWebhookSecretRoute(context.webhooks));
  post('/webhooks/:webhookId/redeliver', redeliverWebhookRoute(context));
  return router;
}
