// A partner's side of the events: a webhook endpoint on 127.0.0.1 that answers 503 while down and
// records what it takes while up, and the reads of the gateway's events API a partner catches up with.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { as, type Caller } from './gatewayStack';

export type EventMessage = Record<string, unknown> & {
  eventId: string;
  type: string;
  escrowId: string;
  sequence: number;
};

export interface ReceivedDelivery {
  readonly eventId: string;
  readonly body: string;
  readonly signature: string;
}

export class PartnerEndpoint {
  up = false;
  readonly received: ReceivedDelivery[] = [];
  /** The event ids of the deliveries answered 503 while down, one entry an attempt. */
  readonly refused: string[] = [];
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const eventId = String(request.headers[this.eventIdHeader.toLowerCase()]);
      if (this.up)
        this.received.push({
          eventId,
          body: Buffer.concat(chunks).toString('utf8'),
          signature: String(request.headers[this.signatureHeader.toLowerCase()]),
        });
      else this.refused.push(eventId);
      response.writeHead(this.up ? 200 : 503).end();
    });
  });

  /** The notifier's header names (offchain-db's EVENT_ID_HEADER and SIGNATURE_HEADER). */
  constructor(
    private readonly eventIdHeader: string,
    private readonly signatureHeader: string,
  ) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${String((this.server.address() as AddressInfo).port)}/hooks`;
  }

  /** Starts the endpoint and subscribes `caller`'s marketplace to it (`options`: retries, attempts). */
  async subscribe(
    caller: Caller,
    options: Record<string, unknown> = {},
  ): Promise<{ id: string; secret: string }> {
    const created = await as(caller, 'POST', '/v1/webhooks', { url: await this.start(), ...options });
    if (created.status !== 201)
      throw new Error(`POST /v1/webhooks: ${String(created.status)} ${created.text}`);
    return { id: String(created.body['id']), secret: String(created.body['secret']) };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** One page of GET /v1/events as `caller`. */
export async function eventsPage(
  caller: Caller,
  query: string,
): Promise<{ records: EventMessage[]; nextCursor?: string }> {
  const listed = await as(caller, 'GET', `/v1/events?${query}`);
  if (listed.status !== 200)
    throw new Error(`GET /v1/events?${query}: ${String(listed.status)} ${listed.text}`);
  return listed.body as unknown as { records: EventMessage[]; nextCursor?: string };
}

/** Every page of the query, following `nextCursor` (at most 50 pages). */
export async function allEvents(caller: Caller, query: string): Promise<EventMessage[]> {
  const events: EventMessage[] = [];
  let cursor = '';
  for (let page = 0; page < 50; page += 1) {
    const listed = await eventsPage(caller, `${query}&cursor=${encodeURIComponent(cursor)}`);
    events.push(...listed.records);
    if (listed.nextCursor === undefined) return events;
    cursor = listed.nextCursor;
  }
  throw new Error('more than 50 pages');
}
