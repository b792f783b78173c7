// The document says a shared thing once: a response or parameter used by several operations is a
// component they reference, every reference resolves, and no component is left unused. A partner
// reading it (or the generated SDK) then sees one "Unauthenticated", not fifty copies that may drift.
import { expect } from 'chai';
import { loadOpenApi } from './apiDocs';

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operations(document: Json): Json[] {
  return Object.values(document['paths'] as Record<string, Json>).flatMap((item) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([, operation]) => operation as Json),
  );
}

function inlineCopies(values: unknown[]): string[] {
  const seen = new Map<string, number>();
  for (const value of values) {
    if (typeof value === 'object' && value !== null && '$ref' in value) continue;
    const key = JSON.stringify(value);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([key]) => key.slice(0, 120));
}

function references(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const entry of value) references(entry, found);
  else if (typeof value === 'object' && value !== null)
    for (const [key, entry] of Object.entries(value))
      if (key === '$ref' && typeof entry === 'string') found.push(entry);
      else references(entry, found);
  return found;
}

describe('the OpenAPI document states shared responses and parameters once', () => {
  const document = loadOpenApi();
  const components = document['components'] as Record<string, Record<string, unknown>>;

  it('has no response written out twice', () => {
    const responses = operations(document).flatMap((operation) =>
      Object.values(operation['responses'] as Json),
    );
    expect(inlineCopies(responses)).to.deep.equal([]);
  });

  it('has no parameter written out twice', () => {
    const parameters = operations(document).flatMap(
      (operation) => (operation['parameters'] as unknown[] | undefined) ?? [],
    );
    expect(inlineCopies(parameters)).to.deep.equal([]);
  });

  it('resolves every reference and uses every shared response and parameter', () => {
    const refs = references(document);
    for (const ref of refs) {
      const [, , kind, name] = ref.split('/');
      expect(components[kind ?? '']?.[name ?? ''], ref).to.not.equal(undefined);
    }
    for (const kind of ['responses', 'parameters'])
      for (const name of Object.keys(components[kind] ?? {}))
        expect(refs, `${kind}/${name} is never referenced`).to.include(`#/components/${kind}/${name}`);
  });
});
