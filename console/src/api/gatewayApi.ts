// The console's calls to its own gateway's /v1 API with the signed-in user's token: the SDK's types
// (generated from the gateway's OpenAPI document) over openapi-fetch. A refusal becomes an ApiProblem
// carrying the problem's stable code, shown as it is.
import type { components, paths } from '@p2p-escrow/client';
import createClient from 'openapi-fetch';

export type Escrow = components['schemas']['Escrow'];
export type History = components['schemas']['History'];
export type EscrowProof = components['schemas']['EscrowProof'];
export type EscrowState = Escrow['state'];
export type TrustAnchors = components['schemas']['TrustAnchors'];
export type ConsortiumStatus = components['schemas']['ConsortiumStatus'];

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'ApiProblem';
  }
}

function problemOf(status: number, error: unknown): ApiProblem {
  const problem = (error ?? {}) as { code?: unknown; detail?: unknown; title?: unknown };
  const code = typeof problem.code === 'string' ? problem.code : `HTTP_${String(status)}`;
  const detail =
    typeof problem.detail === 'string'
      ? problem.detail
      : typeof problem.title === 'string'
        ? problem.title
        : 'request refused';
  return new ApiProblem(status, code, detail);
}

export function gatewayApi(accessToken: string) {
  const client = createClient<paths>({
    baseUrl: window.location.origin,
    querySerializer: { object: { style: 'form', explode: true } },
  });
  client.use({
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${accessToken}`);
      if (request.method === 'POST') request.headers.set('Idempotency-Key', crypto.randomUUID());
      return request;
    },
  });
  const unwrap = <T>(result: { data?: T; error?: unknown; response: Response }): T => {
    if (result.data === undefined) throw problemOf(result.response.status, result.error);
    return result.data;
  };
  return {
    async search(query: { state?: EscrowState; q?: string; marketplace?: string }) {
      const { marketplace, ...rest } = query;
      return unwrap(
        await client.GET('/v1/escrows', {
          params: {
            query: {
              ...rest,
              ...(marketplace === undefined ? {} : { party: { marketplace } }),
              pageSize: 50,
            },
          },
        }),
      ).records;
    },
    async history(escrowId: string) {
      return unwrap(await client.GET('/v1/escrows/{escrowId}/history', { params: { path: { escrowId } } }));
    },
    async proof(escrowId: string) {
      return unwrap(await client.GET('/v1/escrows/{escrowId}/proof', { params: { path: { escrowId } } }));
    },
    async trustAnchors() {
      return unwrap(await client.GET('/v1/consortium/trust-anchors', {}));
    },
    async consortiumStatus() {
      return unwrap(await client.GET('/v1/consortium/status', {}));
    },
    async webhooks() {
      return unwrap(await client.GET('/v1/webhooks', {})).items;
    },
    async failedDeliveries() {
      return unwrap(
        await client.GET('/v1/events', { params: { query: { deliveryFailed: true, pageSize: 50 } } }),
      ).records;
    },
    async redeliver(webhookId: string, eventId: string) {
      return unwrap(
        await client.POST('/v1/webhooks/{webhookId}/redeliver', {
          params: { path: { webhookId } },
          body: { eventId },
        }),
      );
    },
    async resolve(escrowId: string, buyerRefund: string) {
      return unwrap(
        await client.POST('/v1/escrows/{escrowId}/resolve', {
          params: { path: { escrowId } },
          body: { buyerRefund },
        }),
      );
    },
  };
}

export type GatewayApi = ReturnType<typeof gatewayApi>;
