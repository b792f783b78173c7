// Every operation shows a partner what to send and what comes back: its request body and each of its
// success responses carry an example, and each example passes the validator the gateway runs (the
// request examples as requests, the response examples as responses), so no example can drift from
// the schema it illustrates.
import { expect } from 'chai';
import { documentedRoutes } from '../routing/documentedRoutes';
import { loadOpenApi } from './apiDocs';
import { startValidatorHarness, type ValidatorHarness } from './validatorHarness';

type Json = Record<string, unknown>;

const document = loadOpenApi();

/** The object a `$ref` points at, followed until it is not a reference. */
function resolved(value: unknown): Json | undefined {
  let current = value;
  for (let hops = 0; hops < 10; hops += 1) {
    if (typeof current !== 'object' || current === null) return undefined;
    const ref = (current as Json)['$ref'];
    if (typeof ref !== 'string') return current as Json;
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], document);
  }
  return undefined;
}

/** The JSON example of a request body or response: on its media type (the first of its named ones), or on its schema. */
function exampleOf(bodyOrResponse: unknown): { found: boolean; value?: unknown } {
  const media = resolved(resolved(bodyOrResponse)?.['content'])?.['application/json'] as Json | undefined;
  if (media === undefined) return { found: false };
  if ('example' in media) return { found: true, value: media['example'] };
  const named = Object.values(resolved(media['examples']) ?? {});
  if (named.length > 0) return { found: true, value: resolved(named[0])?.['value'] };
  const schema = resolved(media['schema']);
  const examples = schema?.['examples'];
  if (Array.isArray(examples) && examples.length > 0) return { found: true, value: examples[0] };
  if (schema !== undefined && 'example' in schema) return { found: true, value: schema['example'] };
  return { found: false };
}

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly request?: { found: boolean; value?: unknown };
  readonly status: number;
  readonly response?: { found: boolean; value?: unknown };
}

function cases(): Case[] {
  const paths = document['paths'] as Record<string, Record<string, Json>>;
  return documentedRoutes().flatMap(({ method, template, path }) => {
    const operation = paths[template]?.[method.toLowerCase()];
    if (operation === undefined || path === undefined) return [];
    const responses = operation['responses'] as Json;
    const success = Object.keys(responses).filter((status) => /^2\d\d$/.test(status));
    const [first] = success;
    const hasContent = resolved(responses[first ?? ''])?.['content'] !== undefined;
    return [
      {
        name: `${method} ${template}`,
        method,
        path,
        ...(operation['requestBody'] === undefined ? {} : { request: exampleOf(operation['requestBody']) }),
        status: Number(first),
        ...(hasContent ? { response: exampleOf(responses[first ?? '']) } : {}),
      },
    ];
  });
}

describe('every operation of the OpenAPI document has examples that the validator accepts', function () {
  // The validator compiles each operation's schemas on its first request.
  this.timeout(30_000);
  let harness: ValidatorHarness;
  let base = '';
  let answer: { status: number; body?: unknown } = { status: 500 };

  before(async () => {
    harness = await startValidatorHarness({
      validateResponses: true,
      handler: (_request, response) => {
        if (answer.body === undefined) response.status(answer.status).end();
        else response.status(answer.status).json(answer.body);
      },
    });
    base = harness.base;
  });
  after(() => {
    harness.close();
  });

  const all = cases();

  it('walks every operation of the document', () => {
    expect(all.length).to.be.greaterThan(40);
  });

  for (const operation of all)
    it(`${operation.name}: its examples are there and valid`, async () => {
      if (operation.request !== undefined)
        expect(operation.request.found, 'request body example').to.equal(true);
      if (operation.response !== undefined)
        expect(operation.response.found, 'response example').to.equal(true);
      answer = { status: operation.status, body: operation.response?.value };
      const sent = await fetch(`${base}${operation.path}`, {
        method: operation.method,
        headers: {
          'content-type': 'application/json',
          ...(operation.method === 'POST' ? { 'idempotency-key': 'example-check-0001' } : {}),
        },
        ...(operation.request === undefined ? {} : { body: JSON.stringify(operation.request.value) }),
      });
      expect(sent.status, await sent.text()).to.equal(operation.status);
    });
});
