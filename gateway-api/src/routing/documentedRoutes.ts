// Every route of the OpenAPI document, spelled with a sample value for each path parameter, for the
// tests that probe each route on the live gateway. A parameter without a sample is listed, not
// thrown: the unit tier names it (documentedRoutes.unit.test.ts) and the live probe skips the route,
// so one missing sample cannot stop the whole e2e tier from loading.
import { loadOpenApi } from '../openapi/apiDocs';

/** A value of every path parameter name the document uses that its schema accepts. */
export const SAMPLE_PATH_VALUES: Readonly<Record<string, string>> = {
  escrowId: 'esc-routing-probe',
  marketplace: 'MarketA',
  userId: 'alice',
  txId: '0'.repeat(64),
  webhookId: '1',
  eventId: `${'0'.repeat(64)}:0`,
  item: '0',
  partyId: 'MarketA:alice',
  rule: 'routing.probe',
};

export interface DocumentedRoute {
  readonly method: string;
  /** The path template, e.g. /v1/escrows/{escrowId}. */
  readonly template: string;
  /** The template with each parameter's sample; undefined when a parameter has none. */
  readonly path: string | undefined;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function documentedRoutes(): DocumentedRoute[] {
  const paths = loadOpenApi()['paths'] as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([template, operations]) =>
    Object.keys(operations)
      .filter((method) => METHODS.includes(method))
      .map((method) => ({ method: method.toUpperCase(), template, path: sampled(template) })),
  );
}

/** The path parameter names of the document that have no sample value. */
export function parametersWithoutSample(): string[] {
  const names = documentedRoutes().flatMap(({ template }) =>
    [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
  );
  return [...new Set(names)].filter(
    (name) => name !== undefined && SAMPLE_PATH_VALUES[name] === undefined,
  ) as string[];
}

function sampled(template: string): string | undefined {
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
  if (names.some((name) => SAMPLE_PATH_VALUES[name] === undefined)) return undefined;
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => SAMPLE_PATH_VALUES[name] ?? '');
}
