// /v1/webhooks: a marketplace backend registers, lists, removes its own webhook endpoints and rotates
// their secrets. A secret is in the response of the call that made it and nowhere else: the
// idempotency record keeps the response without it.
import {
  WebhookEndpointForbiddenError,
  WebhookLimitReachedError,
  type PgWebhookStore,
} from '@p2p-escrow/offchain-db';
import type { Request, Response } from 'express';
import { principalOf, requireAnyRole } from '../../auth/authenticate';
import { organizationOf } from '../../auth/principal';
import { ApiError, NotFoundError, ValidationError } from '../../errors/apiError';

/** How long the previous secret keeps verifying after a rotation. */
export const ROTATION_GRACE_SECONDS = 24 * 60 * 60;

function marketplaceOf(response: Response): string {
  const principal = principalOf(response);
  requireAnyRole(principal, ['marketplace']);
  return organizationOf(principal, 'marketplace');
}

function checkedUrl(value: unknown): string {
  const url = new URL(String(value));
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ValidationError('WEBHOOK_URL_INVALID', 'a webhook URL is http(s)');
  if (url.username !== '' || url.password !== '')
    throw new ValidationError('WEBHOOK_URL_INVALID', 'a webhook URL carries no credentials');
  return url.toString();
}

function sendWithSecret(response: Response, status: number, body: Record<string, unknown>): void {
  const withoutSecret = Object.fromEntries(Object.entries(body).filter(([name]) => name !== 'secret'));
  response.locals['idempotentBody'] = { ...withoutSecret, secretRedacted: true };
  response.status(status).json(body);
}

/** The store's refusals of an endpoint (forbidden address, too many subscriptions) as 422 problems. */
function refusalOf(error: unknown): Error {
  if (error instanceof WebhookEndpointForbiddenError) return new ApiError(422, error.code, error.message);
  if (error instanceof WebhookLimitReachedError)
    return new ApiError(422, error.code, error.message, { limit: error.limit });
  return error instanceof Error ? error : new Error(String(error));
}

export function createWebhookRoute(store: PgWebhookStore) {
  return async (request: Request, response: Response): Promise<void> => {
    const marketplace = marketplaceOf(response);
    const body = request.body as {
      url: string;
      eventTypes?: string[];
      retryBaseMs?: number;
      maxAttempts?: number;
    };
    const created = await store
      .create({
        marketplace,
        url: checkedUrl(body.url),
        eventTypes: [...new Set(body.eventTypes ?? [])],
        retryBaseMs: body.retryBaseMs,
        maxAttempts: body.maxAttempts,
      })
      .catch((error: unknown) => {
        throw refusalOf(error);
      });
    response.location(`/v1/webhooks/${created.subscription.id}`);
    sendWithSecret(response, 201, { ...created.subscription, secret: created.secret });
  };
}

export function listWebhooksRoute(store: PgWebhookStore) {
  return async (_request: Request, response: Response): Promise<void> => {
    response.json({ items: await store.list(marketplaceOf(response)) });
  };
}

export function deleteWebhookRoute(store: PgWebhookStore) {
  return async (request: Request, response: Response): Promise<void> => {
    if (!(await store.remove(marketplaceOf(response), String(request.params['webhookId']))))
      throw new NotFoundError('WEBHOOK_NOT_FOUND', 'this marketplace has no such webhook');
    response.status(204).end();
  };
}

export function rotateWebhookSecretRoute(store: PgWebhookStore) {
  return async (request: Request, response: Response): Promise<void> => {
    const rotated = await store.rotate(
      marketplaceOf(response),
      String(request.params['webhookId']),
      ROTATION_GRACE_SECONDS,
    );
    if (rotated === undefined)
      throw new NotFoundError('WEBHOOK_NOT_FOUND', 'this marketplace has no such webhook');
    sendWithSecret(response, 200, { ...rotated.subscription, secret: rotated.secret });
  };
}
