import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GATEWAY_MATRIX, LEDGER_MATRIX } from './accessMatrix';
import { MATRIX_BEGIN, MATRIX_END, matrixSection } from './accessMatrixTables';

const readmePath = path.join(__dirname, '..', '..', '..', 'README.md');

describe('authorization matrix', () => {
  it('README.md shows the matrix exactly as the data renders it (npm run -s docs:matrix)', () => {
    const readme = fs.readFileSync(readmePath, 'utf8');
    const begin = readme.indexOf(MATRIX_BEGIN);
    const end = readme.indexOf(MATRIX_END);
    expect(begin, 'README.md has the access matrix markers').to.be.at.least(0);
    expect(readme.slice(begin, end + MATRIX_END.length)).to.equal(matrixSection());
  });

  it('names each gateway operation and each chaincode transaction once', () => {
    const operations = GATEWAY_MATRIX.map((operation) => operation.operationId);
    const transactions = LEDGER_MATRIX.map((operation) => operation.transaction);
    expect(new Set(operations).size).to.equal(operations.length);
    expect(new Set(transactions).size).to.equal(transactions.length);
  });

  it('writes every gateway refusal as an HTTP status and a problem code', () => {
    for (const operation of GATEWAY_MATRIX)
      for (const cell of Object.values(operation.cells))
        expect(cell, operation.operationId).to.match(/^(ok|[45]\d\d [A-Z][A-Z_]+)$/);
  });
});
