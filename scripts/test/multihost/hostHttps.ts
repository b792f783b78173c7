// HTTPS between the test's hosts, as a marketplace backend calls them: trusting only the TLS root the
// host's operator sent (the identity provider's, or an org's gateway's), never the local one.
import * as crypto from 'node:crypto';
import * as https from 'node:https';

export interface HostResponse {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

export interface HostRequest {
  ca: Buffer;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

/** One request, bounded by `timeoutMs` (default 15 s); the body parsed as JSON when it is. */
export function httpsAt(url: string, request: HostRequest): Promise<HostResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = https.request(
      url,
      {
        method: request.method ?? 'GET',
        ca: request.ca,
        headers: request.headers,
        timeout: request.timeoutMs ?? 15_000,
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          let body: Record<string, unknown> = {};
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // Not JSON: the caller reads `text`.
          }
          resolve({ status: response.statusCode ?? 0, body, text });
        });
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${url}: no answer in time`)));
    outgoing.on('error', reject);
    if (request.body !== undefined) outgoing.write(request.body);
    outgoing.end();
  });
}

/** An access token from the token endpoint of the realm whose issuer is `realmUrl`. */
export async function tokenAt(realmUrl: string, ca: Buffer, form: Record<string, string>): Promise<string> {
  const response = await httpsAt(`${realmUrl}/protocol/openid-connect/token`, {
    ca,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const token = response.body['access_token'];
  if (response.status !== 200 || typeof token !== 'string')
    throw new Error(`${realmUrl} refused a token: ${String(response.status)} ${response.text}`);
  return token;
}

/** A JSON request to a gateway as the bearer of `token`; every POST carries a fresh Idempotency-Key. */
export function gatewayRequest(
  baseUrl: string,
  ca: Buffer,
  token: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<HostResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST') headers['idempotency-key'] = `multihost-${crypto.randomUUID()}`;
  return httpsAt(`${baseUrl}${route}`, {
    ca,
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
