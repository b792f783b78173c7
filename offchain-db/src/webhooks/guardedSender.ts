// The HTTP adapter of the webhook sender: node:http(s), connecting only to an address it has checked.
// The host is resolved once, every address checked against the endpoint policy, and the connection
// pinned to the first one (a custom lookup), so a DNS answer that changes between the check and the
// connection (rebinding) cannot point it elsewhere. No redirect is followed: a 3xx is a failure.
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookResponse, WebhookSender } from './dispatcher';
import { checkedAddresses, systemLookup, type EndpointPolicy, type LookupAll } from './endpointPolicy';

function rejectedOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener(
      'abort',
      () => {
        reject(signal.reason instanceof Error ? signal.reason : new Error('webhook request timed out'));
      },
      { once: true },
    );
  });
}

export class GuardedHttpSender implements WebhookSender {
  constructor(
    private readonly policy: EndpointPolicy,
    private readonly lookup: LookupAll = systemLookup,
  ) {}

  async post(
    url: string,
    body: string,
    headers: Readonly<Record<string, string>>,
    timeoutMs: number,
  ): Promise<WebhookResponse> {
    const target = new URL(url);
    if (target.protocol !== 'https:' && target.protocol !== 'http:')
      throw new Error(`not an http(s) URL: ${target.protocol}`);
    const signal = AbortSignal.timeout(timeoutMs);
    // The timeout bounds the name resolution too, not only the request.
    const [pinned] = await Promise.race([
      checkedAddresses(target.hostname, this.policy, this.lookup),
      rejectedOnAbort(signal),
    ]);
    if (pinned === undefined) throw new Error(`${target.hostname} has no address`);
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if (options.all === true) callback(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          signal,
          lookup,
          // One connection per delivery: no pooled socket outlives the check that opened it.
          agent: false,
        },
        (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0 });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}
