import { expect } from 'chai';
import {
  rebuildLines,
  rebuildResultOf,
  rebuildSummary,
  rebuildTimeoutSeconds,
  type RebuildReport,
} from './rebuildOutput';

const resultLine =
  '{"rebuiltToBlock":"3705","blocks":3706,"transitions":45387,"seconds":41.25,"transitionsPerSecond":1100,"blocksPerSecond":90}';
const result = {
  rebuiltToBlock: 3705,
  blocks: 3706,
  transitions: 45387,
  seconds: 41.25,
  transitionsPerSecond: 1100,
  blocksPerSecond: 90,
};
const done: RebuildReport = {
  status: 'done',
  result,
  schema: 'bench_rebuild',
  timeoutSeconds: 300,
  wallSeconds: 44.1,
  schemaDropped: true,
};

describe('rebuild output', () => {
  it('finds the result line among the mirror log lines', () => {
    const output = [
      '{"level":40,"time":1,"name":"mirror","msg":"another writer advanced the checkpoint; resuming from it"}',
      resultLine,
      '',
    ].join('\n');

    expect(rebuildResultOf(output)).to.deep.equal(result);
  });

  it('finds nothing in a log without a result, a cut-off result line or a result of another shape', () => {
    expect(rebuildResultOf('{"level":50,"msg":"rebuild failed"}\n')).to.equal(undefined);
    expect(rebuildResultOf(resultLine.slice(0, 40))).to.equal(undefined);
    expect(rebuildResultOf('{"rebuiltToBlock":"3705","blocks":"many"}')).to.equal(undefined);
  });

  it('puts transitions/s, blocks/s, blocks and seconds on one summary row', () => {
    expect(rebuildSummary(done)).to.deep.equal({
      transitionsPerSecond: 1100,
      blocksPerSecond: 90,
      blocks: 3706,
      seconds: 41.3,
    });
  });

  it('says why there is no rate when the rebuild was skipped, timed out or failed', () => {
    expect(rebuildSummary({ status: 'skipped', reason: 'BENCH_REBUILD=0' })).to.equal('BENCH_REBUILD=0');
    const timeout: RebuildReport = {
      status: 'timeout',
      reason: 'no result within 300 s; process group 4242 killed',
      schema: 'bench_rebuild',
      timeoutSeconds: 300,
      wallSeconds: 305,
      schemaDropped: true,
    };
    expect(rebuildSummary(timeout)).to.equal('timeout: no result within 300 s; process group 4242 killed');
    expect(rebuildLines(timeout)[0]).to.contain('Rebuild timeout').and.contain('dropped afterwards');
  });

  it('says so when the scratch schema could not be dropped', () => {
    const lines = rebuildLines({ ...done, schemaDropped: false, dropError: 'lock timeout' });

    expect(lines[0]).to.contain('1100 transitions/s, 90 blocks/s').and.contain('NOT dropped: lock timeout');
  });

  it('bounds the rebuild at 300 s unless BENCH_REBUILD_TIMEOUT_SECONDS says otherwise', () => {
    expect(rebuildTimeoutSeconds(undefined)).to.equal(300);
    expect(rebuildTimeoutSeconds('')).to.equal(300);
    expect(rebuildTimeoutSeconds('45')).to.equal(45);
    expect(() => rebuildTimeoutSeconds('0')).to.throw('positive');
    expect(() => rebuildTimeoutSeconds('soon')).to.throw('positive');
  });
});
