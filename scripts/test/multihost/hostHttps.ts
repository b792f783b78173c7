// HTTPS between the test's hosts, as a marketplace backend calls them: trusting only the TLS root the
// host's operator sent (the identity provider's, or an org's gateway's), never the local one.
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

/** A backend's access token by the client credentials grant at `realmUrl` (the realm's issuer). */
export async function backendTokenAt(
  realmUrl: string,
  ca: Buffer,
  clientId: string,
  secret: string,
): Promise<string> {
  const response = await httpsAt(`${realmUrl}/protocol/openid-connect/token`, {
    ca,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
    }).toString(),
  });
  const token = response.body['access_token'];
  if (response.status !== 200 || typeof token !== 'string')
    throw new Error(`${realmUrl} refused ${clientId}: ${String(response.status)} ${response.text}`);
  return token;
}
