// The typed client: openapi-fetch over the types generated from the gateway's OpenAPI document, with
// a bearer token on every request and the SDK's fetch underneath (Idempotency-Key on POSTs, bounded
// retries of safe failures).
import createClient, { type Client } from 'openapi-fetch';
import type { TokenSource } from './auth/clientCredentials';
import type { paths } from './generated/gatewayApi';
import { idempotentFetch, type RetryPolicy } from './http/idempotentFetch';

export type GatewayClient = Client<paths>;

export interface GatewayClientOptions {
  /** The org's gateway, e.g. `https://127.0.0.1:18000` (MarketA's local gateway). */
  readonly baseUrl: string;
  readonly auth: TokenSource;
  /** The fetch underneath, e.g. one that trusts a private CA; the global fetch by default. */
  readonly fetch?: typeof fetch;
  readonly retry?: RetryPolicy;
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: idempotentFetch({
      ...options.retry,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    }),
    // The gateway's object query parameters (e.g. search's `party`) are form-exploded:
    // `marketplace=MarketA&userId=alice`.
    querySerializer: { object: { style: 'form', explode: true } },
  });
  client.use({
    async onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${await options.auth.token()}`);
      return request;
    },
  });
  return client;
}
