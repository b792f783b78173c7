// The served document refuses what the gateway and the chaincode refuse at run time, so a request
// the ledger would turn away never gets past validation, and a client generated from the document
// knows the rules. The document is checked by the validator the gateway runs, in process.
import { expect } from 'chai';
import { startValidatorHarness, type ValidatorHarness } from './validatorHarness';

function createBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    buyer: { marketplace: 'MarketA', userId: 'alice' },
    seller: { marketplace: 'MarketB', userId: 'bea' },
    currency: 'EUR',
    feeBps: 250,
    items: [{ description: 'Camera', price: '12000' }],
    fundBy: '2030-01-01T00:00:00Z',
    shipBy: '2030-01-08T00:00:00Z',
    inspectionPeriodSeconds: 3600,
    ...overrides,
  };
}

const privateDetails = (overrides: Record<string, unknown>) => ({
  salt: '0123456789abcdef0123456789abcdef',
  shippingAddress: { street: '1 Rue de la Paix', city: 'Paris' },
  contact: 'alice@example.test',
  ...overrides,
});

describe('the OpenAPI document refuses what the runtime refuses', () => {
  let harness: ValidatorHarness;
  let base = '';

  before(async () => {
    harness = await startValidatorHarness({
      validateResponses: false,
      handler: (request, response) => {
        response.json({ query: request.query as unknown });
      },
    });
    base = harness.base;
  });
  after(() => {
    harness.close();
  });

  const get = async (path: string) => (await fetch(`${base}${path}`)).status;
  const post = async (path: string, body: unknown) =>
    (
      await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'unit-test-key-1' },
        body: JSON.stringify(body),
      })
    ).status;

  it('accepts a well-formed create, party search and marketplace search (the baseline)', async () => {
    expect(await post('/v1/escrows', createBody())).to.equal(200);
    expect(await post('/v1/escrows', createBody({ privateDetails: privateDetails({}) }))).to.equal(200);
    expect(await get('/v1/escrows?marketplace=MarketA&userId=alice')).to.equal(200);
    const echoed = (await (await fetch(`${base}/v1/escrows?marketplace=MarketA&userId=alice`)).json()) as {
      query: { party?: unknown };
    };
    expect(echoed.query.party).to.deep.equal({ marketplace: 'MarketA', userId: 'alice' });
    expect(await get('/v1/escrows?marketplace=MarketA')).to.equal(200);
  });

  it('takes any marketplace the registry may hold (a joining one included), never Oversight or a malformed name', async () => {
    const seller = (marketplace: string) => createBody({ seller: { marketplace, userId: 'chidi' } });
    expect(await post('/v1/escrows', seller('MarketC'))).to.equal(200);
    expect(await get('/v1/escrows?marketplace=MarketC&userId=chidi')).to.equal(200);
    for (const marketplace of ['Oversight', 'marketc', 'Market C', 'M'.repeat(32), ''])
      expect(await post('/v1/escrows', seller(marketplace)), marketplace).to.equal(400);
  });

  it('userId needs marketplace in a search', async () => {
    expect(await get('/v1/escrows?userId=alice')).to.equal(400);
  });

  it('privateDetails: both fields present, field names like ids, at most 20 fields of at most 500 characters', async () => {
    const refused = [
      privateDetails({ contact: undefined }),
      privateDetails({ shippingAddress: { 'street name': 'x' } }),
      privateDetails({ shippingAddress: { ['k'.repeat(65)]: 'x' } }),
      privateDetails({
        shippingAddress: Object.fromEntries(
          Array.from({ length: 21 }, (_, index) => [`f${String(index)}`, 'x']),
        ),
      }),
      privateDetails({ contact: 'x'.repeat(501) }),
      privateDetails({ contact: '   ' }),
    ];
    for (const details of refused)
      expect(
        await post('/v1/escrows', createBody({ privateDetails: details })),
        JSON.stringify(details),
      ).to.equal(400);
  });

  it('free text refuses control characters (C0 and C1), blanks and more than the chaincode’s length', async () => {
    for (const description of [
      'a\u0000b',
      'line\nbreak',
      'bell\u0007',
      'c1\u0085',
      'del\u007f',
      '   ',
      'x'.repeat(201),
    ])
      expect(
        await post('/v1/escrows', createBody({ items: [{ description, price: '100' }] })),
        JSON.stringify(description),
      ).to.equal(400);
    expect(await post('/v1/escrows/e-1/dispute', { reason: 'late\u0000', evidenceHashes: [] })).to.equal(400);
    expect(await post('/v1/escrows/e-1/ship', { carrier: 'DHL\u001b', trackingRef: 'T-1' })).to.equal(400);
    expect(await post('/v1/escrows/e-1/ship', { carrier: 'D'.repeat(65), trackingRef: 'T-1' })).to.equal(400);
    expect(await get('/v1/escrows?q=cam%00era')).to.equal(400);
    // A return address is personal data the gateway hashes with the chaincode's text rules.
    for (const address of ['1 Rue\u007f', 'Lyon\u009b', '\u0000', '   '])
      expect(
        await post('/v1/escrows/e-1/items/0/return-address', { address }),
        JSON.stringify(address),
      ).to.equal(400);
    expect(await post('/v1/escrows/e-1/items/0/return-address', { address: '1 Fuzz Way, Lyon' })).to.equal(
      200,
    );
    expect(
      await post('/v1/escrows', createBody({ items: [{ description: 'Caméra ✓', price: '100' }] })),
    ).to.equal(200);
  });
});
