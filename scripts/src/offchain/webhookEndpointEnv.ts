// Where the local stack lets webhooks go, for the gateway (registration) and the notifier (delivery):
// public addresses, plus 127.0.0.1 only, where the end-to-end tests run their partner endpoints. Any
// other loopback, private, link-local or metadata address stays refused, as in production.
export const LOCAL_WEBHOOK_ALLOWED_CIDRS = '127.0.0.1/32';

export function webhookEndpointEnv(): Record<string, string> {
  return { P2P_WEBHOOK_ALLOWED_CIDRS: LOCAL_WEBHOOK_ALLOWED_CIDRS };
}
