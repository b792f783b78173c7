import { expect } from 'chai';
import {
  formatFuzzReport,
  formatFuzzTiming,
  fuzzReport,
  fuzzTiming,
  parseCallLog,
  schemathesisRunLine,
} from './fuzzReport';

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

  it("splits the answer times into reads, writes and refusals and the workers' time spent waiting", () => {
    const timed = parseCallLog(
      [
        '{"operation":"getEscrow","method":"GET","status":200,"elapsedMs":100,"at":1.0,"worker":1}',
        '{"operation":"getEscrow","method":"GET","status":404,"elapsedMs":100,"at":2.0,"worker":1}',
        '{"operation":"shipEscrow","method":"POST","status":200,"elapsedMs":1000,"at":1.5,"worker":2}',
        '{"operation":"shipEscrow","method":"POST","status":409,"elapsedMs":500,"at":2.5,"worker":2}',
      ].join('\n'),
    );
    const timing = fuzzTiming([timed]);
    expect(timing.reads).to.deep.equal({ requests: 2, meanMs: 100, p50Ms: 100, p95Ms: 100 });
    expect(timing.writes).to.include({ requests: 2, meanMs: 750 });
    expect(timing.refusals).to.include({ requests: 2, meanMs: 300 });
    // Worker 1: 200 ms busy over 1.1 s; worker 2: 1.5 s busy over 2 s.
    expect(timing.waitingShare).to.be.closeTo(1.7 / 3.1, 0.001);
    expect(formatFuzzTiming(timing)).to.match(/^writes\s+2 requests/m);
  });

  describe("one line for a schemathesis run's own summary", () => {
    const rule = (text: string) => `${'='.repeat(20)} ${text} ${'='.repeat(20)}`;
    const clean = [
      'Schemathesis v4',
      rule('SUMMARY'),
      '',
      'API Operations:',
      '  Selected: 54/54',
      '  Tested: 36',
      '  Skipped: 18',
      '',
      'Test Phases:',
      '  ⏭  Examples (disabled)',
      '  ⏭  Coverage (disabled)',
      '  ⏭  Fuzzing (disabled)',
      '  ✅ Stateful',
      '',
      'Test cases:',
      '  180 generated, 180 passed',
      '',
      'Seed: 17',
      '',
      rule('No issues found in 101.54s'),
    ].join('\n');

    it('gives operations, phases, cases, verdict and seed, and no rule of = that reads as a test count', () => {
      const line = schemathesisRunLine('marketa-stateful', clean);
      expect(line).to.equal(
        'schemathesis marketa-stateful: operations 54/54 selected, 36 tested; phases stateful; 180 cases; ' +
          'no issues found (101.54 s); seed 17',
      );
      expect(line).not.to.match(/={3}|passed/);
    });

    it('names the failing cases and the verdict of a run that found some', () => {
      const failing = clean
        .replace('✅ Stateful', '❌ Stateful')
        .replace('180 generated, 180 passed', '180 generated, 12 found 3 unique failures')
        .replace('No issues found in 101.54s', '❌ 3 unique failures, 🚫 1 error in 9.80s');
      expect(schemathesisRunLine('oversight', failing)).to.equal(
        'schemathesis oversight: operations 54/54 selected, 36 tested; phases stateful; 180 cases, 12 failing; ' +
          '❌ 3 unique failures, 🚫 1 error (9.80 s); seed 17',
      );
    });

    it('says so when the run ended before its summary', () => {
      expect(schemathesisRunLine('marketa-items', 'Traceback (most recent call last):')).to.equal(
        'schemathesis marketa-items: no summary (the run ended before it)',
      );
    });
  });
});
