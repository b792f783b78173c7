// The authorization matrix against the API document, without a stack: every documented operation has
// its row, at the path and method the document gives it, so a new route cannot be left out of the
// live walks (accessMatrix.e2e.test.ts calls every row).
import { expect } from 'chai';
import { GATEWAY_MATRIX } from '@p2p-escrow/testkit';
import { loadOpenApi } from '../openapi/apiDocs';

function documented(): Map<string, string> {
  const paths = loadOpenApi()['paths'] as Record<string, Record<string, { operationId?: string }>>;
  const operations = new Map<string, string>();
  for (const [route, methods] of Object.entries(paths))
    for (const [method, operation] of Object.entries(methods))
      if (typeof operation.operationId === 'string')
        operations.set(operation.operationId, `${method.toUpperCase()} ${route}`);
  return operations;
}

describe('authorization matrix and the API document', () => {
  it('gives every documented operation a row', () => {
    const rows = new Set(GATEWAY_MATRIX.map((operation) => operation.operationId));
    const missing = [...documented().keys()].filter((operationId) => !rows.has(operationId));
    expect(missing, 'operations without a row in testkit accessMatrix.ts').to.deep.equal([]);
  });

  it('names each row by the method and path the document gives its operation', () => {
    const operations = documented();
    for (const row of GATEWAY_MATRIX)
      expect(`${row.method} ${row.path}`, row.operationId).to.equal(operations.get(row.operationId));
  });
});
