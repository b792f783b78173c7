// The partner's webhook endpoint: a local HTTP server that verifies every delivery with the SDK
// (signature over the raw body, either secret during a rotation, timestamp tolerance) and answers
// 400 to anything that does not verify, so the notifier's retries never mistake a forgery for success.
import { verifyWebhook, WEBHOOK_SIGNATURE_HEADER, type WebhookEvent } from '@p2p-escrow/client';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export class WebhookReceiver {
  readonly events: WebhookEvent[] = [];
  readonly refused: string[] = [];
  private secrets: string[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const header = request.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()];
        const event = verifyWebhook(typeof header === 'string' ? header : undefined, Buffer.concat(chunks), {
          secrets: this.secrets,
        });
        // The notifier delivers at least once: keep each event once.
        if (!this.events.some((known) => known.eventId === event.eventId)) this.events.push(event);
        response.writeHead(204).end();
        for (const wake of this.waiters) wake();
      } catch (error) {
        this.refused.push(error instanceof Error ? error.message : String(error));
        response.writeHead(400).end();
      }
    });
  });

  /** Starts listening on 127.0.0.1 at a free port; returns the URL to subscribe. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/escrow`;
  }

  /** The subscription's secrets: the current one, and the previous one while it rotates. */
  useSecrets(...secrets: string[]): void {
    this.secrets = secrets;
  }

  /** Resolves with the first `type` event of `escrowId`, or rejects after `timeoutMs`. */
  async waitFor(escrowId: string, type: string, timeoutMs = 60_000): Promise<WebhookEvent> {
    const find = () => this.events.find((event) => event.escrowId === escrowId && event.type === type);
    const deadline = Date.now() + timeoutMs;
    for (let found = find(); ; found = find()) {
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} webhook for ${escrowId} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  async stop(): Promise<void> {
    // The notifier keeps its connections alive; close them, or close() waits for their timeout.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}
