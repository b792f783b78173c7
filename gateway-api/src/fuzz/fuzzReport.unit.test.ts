import { expect } from 'chai';
import { formatFuzzReport, fuzzReport, parseCallLog } from './fuzzReport';

describe('the fuzzing run report', () => {
  const log = [
    '{"operation":"getEscrow","status":404}',
    '{"operation":"getEscrow","status":200}',
    '{"operation":"createEscrow","status":500}',
    '{"operation":"unlisted","status":201}',
    '{"operation":"getEsc',
  ].join('\n');

  it('reads one call a line and skips a torn last line', () => {
    expect(parseCallLog(log)).to.have.length(4);
  });

  it('counts 2xx and 5xx per operation and names the operations that never succeeded', () => {
    const report = fuzzReport(parseCallLog(log), ['getEscrow', 'createEscrow', 'listEscrows']);
    expect(report.requests).to.equal(4);
    expect(report.byOperation['getEscrow']).to.deep.equal({ requests: 2, succeeded: 1, serverErrors: 0 });
    expect(report.neverSucceeded).to.deep.equal(['createEscrow', 'listEscrows']);
    expect(report.serverErrors).to.equal(1);
    expect(formatFuzzReport(report)).to.match(/^listEscrows\s+0\s+0\s+0$/m);
  });
});
