// The webhook sender against real HTTP servers on 127.0.0.1 (partner endpoints): it refuses a
// loopback endpoint unless allow-listed, checks every address a name resolves to, connects to the
// address it checked, and follows no redirect.
import { expect } from 'chai';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseCidr, PUBLIC_ONLY, WebhookEndpointForbiddenError, type LookupAll } from './endpointPolicy';
import { GuardedHttpSender } from './guardedSender';

class Endpoint {
  readonly paths: string[] = [];
  private readonly server: http.Server;

  constructor(answer: (response: http.ServerResponse) => void = (response) => response.writeHead(204).end()) {
    this.server = http.createServer((request, response) => {
      this.paths.push(request.url ?? '');
      request.resume();
      request.on('end', () => {
        answer(response);
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const LOCAL = { allowed: [parseCidr('127.0.0.1/32')] };
const headers = { 'content-type': 'application/json' };
const resolvesTo =
  (...addresses: string[]): LookupAll =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: 4 })));

async function outcome(promise: Promise<{ status: number }>): Promise<string> {
  return promise.then(
    (response) => String(response.status),
    (error: unknown) => (error instanceof WebhookEndpointForbiddenError ? error.code : String(error)),
  );
}

describe('GuardedHttpSender', function () {
  this.timeout(20_000);
  let endpoint: Endpoint;

  beforeEach(async () => {
    endpoint = await new Endpoint().start();
  });

  afterEach(async () => {
    await endpoint.close();
  });

  it('refuses to deliver to a loopback endpoint that is not allow-listed, and sends nothing', async () => {
    const sent = new GuardedHttpSender(PUBLIC_ONLY).post(
      `http://127.0.0.1:${endpoint.port}/h`,
      '{}',
      headers,
      5000,
    );

    expect(await outcome(sent)).to.equal('WEBHOOK_ENDPOINT_FORBIDDEN');
    expect(endpoint.paths).to.deep.equal([]);
  });

  it('delivers to an allow-listed endpoint', async () => {
    const sent = new GuardedHttpSender(LOCAL).post(
      `http://127.0.0.1:${endpoint.port}/h`,
      '{}',
      headers,
      5000,
    );

    expect(await outcome(sent)).to.equal('204');
    expect(endpoint.paths).to.deep.equal(['/h']);
  });

  it('refuses a name when one of its addresses is forbidden, even if another is allowed', async () => {
    const sender = new GuardedHttpSender(LOCAL, resolvesTo('127.0.0.1', '169.254.169.254'));

    expect(
      await outcome(sender.post(`http://partner.test:${endpoint.port}/h`, '{}', headers, 5000)),
    ).to.equal('WEBHOOK_ENDPOINT_FORBIDDEN');
    expect(endpoint.paths).to.deep.equal([]);
  });

  it('connects to the address it checked for a name, never resolving it again', async () => {
    let lookups = 0;
    const sender = new GuardedHttpSender(LOCAL, (hostname) => {
      lookups += 1;
      return resolvesTo('127.0.0.1')(hostname);
    });

    expect(
      await outcome(sender.post(`http://partner.test:${endpoint.port}/n`, '{}', headers, 5000)),
    ).to.equal('204');
    expect(endpoint.paths).to.deep.equal(['/n']);
    expect(lookups).to.equal(1);
  });

  it('follows no redirect: a 3xx is the answer, the target is never called', async () => {
    const target = await new Endpoint().start();
    const redirecting = await new Endpoint((response) =>
      response.writeHead(307, { location: `http://127.0.0.1:${target.port}/elsewhere` }).end(),
    ).start();
    try {
      const sent = new GuardedHttpSender(LOCAL).post(
        `http://127.0.0.1:${redirecting.port}/r`,
        '{}',
        headers,
        5000,
      );

      expect(await outcome(sent)).to.equal('307');
      expect(target.paths).to.deep.equal([]);
    } finally {
      await target.close();
      await redirecting.close();
    }
  });

  it('gives up within its timeout when the name never resolves', async () => {
    const hanging: LookupAll = () => new Promise(() => undefined);
    const sent = new GuardedHttpSender(LOCAL, hanging).post('http://partner.test/h', '{}', headers, 200);

    expect(await outcome(sent)).to.match(/TimeoutError/);
  });
});
