import { expect } from 'chai';
import { staticToken } from './auth/clientCredentials';
import { ApiProblemError, unwrap } from './errors/apiProblemError';
import { ClientError } from './errors/clientError';
import { committed } from './errors/transactionPending';
import { createGatewayClient } from './gatewayClient';
import { searchEscrows } from './pagination/listEndpoints';

/** A gateway in-process answering from `answer`, recording every request it was sent. */
function gateway(answer: (request: Request) => Response) {
  const requests: Request[] = [];
  const fetchFn = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request);
    return Promise.resolve(answer(request));
  }) as typeof fetch;
  return { requests, fetchFn };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('gateway client', () => {
  it('sends the bearer token, and an Idempotency-Key the caller did not write', async () => {
    const server = gateway(() => json({ transactionId: 'a'.repeat(64) }, 201));
    const client = createGatewayClient({
      baseUrl: 'https://gw.test',
      auth: staticToken('tok'),
      fetch: server.fetchFn,
    });
    await client.POST('/v1/escrows/{escrowId}/release', { params: { path: { escrowId: 'e-1' } }, body: {} });
    const [sent] = server.requests;
    expect(sent?.url).to.equal('https://gw.test/v1/escrows/e-1/release');
    expect(sent?.headers.get('authorization')).to.equal('Bearer tok');
    expect(sent?.headers.get('idempotency-key')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('form-explodes search’s party and follows nextCursor through every page', async () => {
    const server = gateway((request) =>
      new URL(request.url).searchParams.has('cursor')
        ? json({ records: [{ escrowId: 'e-2' }] })
        : json({ records: [{ escrowId: 'e-1' }], nextCursor: 'next-1' }),
    );
    const client = createGatewayClient({
      baseUrl: 'https://gw.test',
      auth: staticToken('tok'),
      fetch: server.fetchFn,
    });
    const found: string[] = [];
    for await (const escrow of searchEscrows(client, {
      party: { marketplace: 'MarketA', userId: 'alice' },
      q: 'camera',
    }))
      found.push(escrow.escrowId);
    expect(found).to.deep.equal(['e-1', 'e-2']);
    const queries = server.requests.map((request) => new URL(request.url).search);
    expect(queries).to.deep.equal([
      '?marketplace=MarketA&userId=alice&q=camera',
      '?marketplace=MarketA&userId=alice&q=camera&cursor=next-1',
    ]);
  });

  it('turns a problem into an ApiProblemError carrying its code', async () => {
    const server = gateway(() =>
      json(
        {
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          code: 'ESCROW_NOT_FOUND',
          detail: 'no escrow e-9',
        },
        404,
      ),
    );
    const client = createGatewayClient({
      baseUrl: 'https://gw.test',
      auth: staticToken('tok'),
      fetch: server.fetchFn,
    });
    const result = await client.GET('/v1/escrows/{escrowId}', { params: { path: { escrowId: 'e-9' } } });
    expect(() => unwrap(result))
      .to.throw(ApiProblemError)
      .that.includes({ status: 404, problemCode: 'ESCROW_NOT_FOUND', code: 'API_PROBLEM' });
  });

  it('narrows a write to its committed answer, and throws TRANSACTION_PENDING on a 202', async () => {
    const txId = 'c'.repeat(64);
    const pending = { status: 'PENDING', transactionId: txId, statusUrl: `/v1/transactions/${txId}` };
    const server = gateway(() => json(pending, 202));
    const client = createGatewayClient({
      baseUrl: 'https://gw.test',
      auth: staticToken('tok'),
      fetch: server.fetchFn,
    });
    const result = await client.POST('/v1/escrows/{escrowId}/release', {
      params: { path: { escrowId: 'e-1' } },
      body: {},
    });
    expect(() => committed(result))
      .to.throw(ClientError)
      .that.includes({ code: 'TRANSACTION_PENDING' })
      .and.has.nested.property('pending.transactionId', txId);
  });
});
