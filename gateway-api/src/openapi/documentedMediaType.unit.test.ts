// A POST whose body is not JSON (another media type, or none where one is required) is refused by the
// validator with 415 before any route runs; the document must say so on every operation that takes a
// body, or a client generated from it (and the API fuzzer's status conformance check) meets an
// undocumented status.
import { expect } from 'chai';
import { documentedRoutes } from '../routing/documentedRoutes';
import { loadOpenApi } from './apiDocs';
import { startValidatorHarness, type ValidatorHarness } from './validatorHarness';

interface Operation {
  readonly operationId: string;
  readonly requestBody?: unknown;
  readonly responses: Record<string, unknown>;
}

function postsWithBody(): { path: string; operation: Operation }[] {
  const paths = loadOpenApi()['paths'] as Record<string, Record<string, Operation>>;
  return documentedRoutes().flatMap(({ method, template, path }) => {
    const operation = paths[template]?.['post'];
    if (method !== 'POST' || operation?.requestBody === undefined || path === undefined) return [];
    return [{ path, operation }];
  });
}

describe('the OpenAPI document names the 415 the validator answers to a body that is not JSON', () => {
  let harness: ValidatorHarness;
  let base = '';

  before(async () => {
    harness = await startValidatorHarness({
      validateResponses: false,
      handler: (_request, response) => {
        response.json({ reached: true });
      },
    });
    base = harness.base;
  });
  after(() => {
    harness.close();
  });

  it('covers every POST that takes a body (sanity of the generated list)', () => {
    expect(postsWithBody().length).to.be.greaterThan(15);
  });

  for (const { path, operation } of postsWithBody())
    it(`${operation.operationId}: text/plain is refused with 415, and the document lists 415`, async () => {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'idempotency-key': 'unit-test-key-1' },
        body: 'not json',
      });
      expect(response.status).to.equal(415);
      expect(Object.keys(operation.responses)).to.include('415');
    });
});
