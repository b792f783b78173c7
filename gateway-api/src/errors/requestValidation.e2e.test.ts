// Bad requests get a 4xx with a stable code, before anything reaches the ledger.
import { expect } from 'chai';
import { as, createRequest, uniqueEscrowId } from '@p2p-escrow/testkit';

describe('gateway e2e: request validation', function () {
  this.timeout(60_000);

  const expectProblem = (
    response: { status: number; body: Record<string, unknown>; text: string },
    status: number,
    code: string,
  ) => {
    expect(response.status, response.text).to.equal(status);
    expect(response.body['code'], response.text).to.equal(code);
    expect(response.text).not.to.match(/\bat [\w.<>]+ \(/);
  };

  it('400 INVALID_REQUEST for a missing field and for a wrong type', async () => {
    const withoutItems = createRequest(uniqueEscrowId('bad', 'e2e'));
    delete withoutItems['items'];
    expectProblem(await as('marketa-backend', 'POST', '/v1/escrows', withoutItems), 400, 'INVALID_REQUEST');
    const wrongType = createRequest(uniqueEscrowId('bad', 'e2e'), { feeBps: 'lots' });
    expectProblem(await as('marketa-backend', 'POST', '/v1/escrows', wrongType), 400, 'INVALID_REQUEST');
    const floatAmount = createRequest(uniqueEscrowId('bad', 'e2e'), {
      items: [{ description: 'x', price: '12.50' }],
    });
    expectProblem(await as('marketa-backend', 'POST', '/v1/escrows', floatAmount), 400, 'INVALID_REQUEST');
  });

  it('400 problem+json at the gateway for a text with U+0000, before anything reaches the chaincode', async () => {
    const escrowId = uniqueEscrowId('nul', 'e2e');
    const withNul = createRequest(escrowId, { items: [{ description: 'Cam\u0000era', price: '100' }] });
    const refused = await as('marketa-backend', 'POST', '/v1/escrows', withNul);
    expectProblem(refused, 400, 'INVALID_REQUEST');
    expect(refused.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expectProblem(await as('marketa-backend', 'GET', `/v1/escrows/${escrowId}`), 404, 'ESCROW_NOT_FOUND');
  });

  it('400 for a search by userId without marketplace, refused by the document', async () => {
    expectProblem(await as('oscar', 'GET', '/v1/escrows?userId=alice'), 400, 'INVALID_REQUEST');
  });

  it('400 UNKNOWN_FIELD for fields the API does not define, at any depth', async () => {
    const topLevel = createRequest(uniqueEscrowId('bad', 'e2e'), { discount: '10' });
    expectProblem(await as('marketa-backend', 'POST', '/v1/escrows', topLevel), 400, 'UNKNOWN_FIELD');
    const nested = createRequest(uniqueEscrowId('bad', 'e2e'), {
      buyer: { marketplace: 'MarketA', userId: 'alice', vip: true },
    });
    expectProblem(await as('marketa-backend', 'POST', '/v1/escrows', nested), 400, 'UNKNOWN_FIELD');
    expectProblem(
      await as('alice', 'POST', '/v1/escrows/e-1/release', { force: true }),
      400,
      'UNKNOWN_FIELD',
    );
  });

  it('413 PAYLOAD_TOO_LARGE beyond the body limit', async () => {
    const huge = createRequest(uniqueEscrowId('big', 'e2e'), {
      items: [{ description: 'x'.repeat(200_000), price: '1' }],
    });
    expectProblem(await as('marketa-backend', 'POST', '/v1/escrows', huge), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('400 MALFORMED_JSON and 415 for bodies that are not JSON', async () => {
    expectProblem(
      await as('marketa-backend', 'POST', '/v1/escrows', undefined, { rawBody: '{"escrowId": ' }),
      400,
      'MALFORMED_JSON',
    );
    expectProblem(
      await as('marketa-backend', 'POST', '/v1/escrows', undefined, {
        rawBody: 'escrowId=x',
        contentType: 'text/plain',
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('400 INVALID_PATH_PARAMETER for malformed escrow, transaction and user ids', async () => {
    expectProblem(await as('alice', 'GET', '/v1/escrows/bad%20id!'), 400, 'INVALID_PATH_PARAMETER');
    expectProblem(await as('alice', 'GET', `/v1/escrows/${'x'.repeat(65)}`), 400, 'INVALID_PATH_PARAMETER');
    expectProblem(await as('alice', 'GET', '/v1/transactions/not-a-tx-id'), 400, 'INVALID_PATH_PARAMETER');
    expectProblem(
      await as('alice', 'GET', '/v1/users/no-where/alice/reputation'),
      400,
      'INVALID_PATH_PARAMETER',
    );
    expectProblem(
      await as('alice', 'POST', '/v1/escrows/-starts-with-dash/release', {}),
      400,
      'INVALID_PATH_PARAMETER',
    );
  });

  it('400 for a missing or malformed Idempotency-Key, 400 INVALID_QUERY for an inverted amount range', async () => {
    const body = createRequest(uniqueEscrowId('nokey', 'e2e'));
    expectProblem(
      await as('marketa-backend', 'POST', '/v1/escrows', body, { idempotencyKey: null }),
      400,
      'IDEMPOTENCY_KEY_REQUIRED',
    );
    expectProblem(
      await as('marketa-backend', 'POST', '/v1/escrows', body, { idempotencyKey: 'short' }),
      400,
      'IDEMPOTENCY_KEY_INVALID',
    );
    expectProblem(await as('oscar', 'GET', '/v1/escrows?amountMin=500&amountMax=100'), 400, 'INVALID_QUERY');
    expectProblem(await as('oscar', 'GET', '/v1/escrows?color=red'), 400, 'INVALID_REQUEST');
  });

  it('404 ESCROW_NOT_FOUND from the ledger and ROUTE_NOT_FOUND for unknown routes', async () => {
    expectProblem(await as('oscar', 'GET', '/v1/escrows/e2e-never-created'), 404, 'ESCROW_NOT_FOUND');
    expectProblem(await as('alice', 'GET', '/v1/nothing-here'), 404, 'ROUTE_NOT_FOUND');
  });

  it('422 for a ledger rule the request breaks (amount differs from the item sum)', async () => {
    const wrongSum = createRequest(uniqueEscrowId('sum', 'e2e'), { amount: '1' });
    const response = await as('marketa-backend', 'POST', '/v1/escrows', wrongSum);
    expect(response.status, response.text).to.be.within(400, 499);
    expect(response.body['code']).to.match(/^(INVALID_INPUT|INVARIANT_VIOLATION)$/);
  });
});
