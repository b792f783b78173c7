// The HTTP adapter of the webhook sender: Node's fetch, no redirects followed (a redirect is a failure).
import type { WebhookResponse, WebhookSender } from './dispatcher';

export class FetchSender implements WebhookSender {
  async post(
    url: string,
    body: string,
    headers: Readonly<Record<string, string>>,
    timeoutMs: number,
  ): Promise<WebhookResponse> {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { status: response.status };
  }
}
