import { expect } from 'chai';
import { addStageTotals, stagesBetween, stagesTable, stageTotalsOf } from './gatewayStages';

const metrics = (scale: number) =>
  [
    '# HELP gateway_http_request_duration_seconds HTTP request latency by method, route and status',
    `gateway_http_request_duration_seconds_bucket{le="0.5",method="POST",route="/v1/escrows",status="201"} ${String(scale)}`,
    `gateway_http_request_duration_seconds_sum{method="POST",route="/v1/escrows",status="201"} ${String(0.3 * scale)}`,
    `gateway_http_request_duration_seconds_count{method="POST",route="/v1/escrows",status="201"} ${String(scale)}`,
    `gateway_http_request_duration_seconds_sum{method="POST",route="/v1/escrows/:escrowId/ship",status="200"} ${String(0.5 * scale)}`,
    `gateway_http_request_duration_seconds_count{method="POST",route="/v1/escrows/:escrowId/ship",status="200"} ${String(scale)}`,
    // Reads are not steps of the lifecycle: left out.
    `gateway_http_request_duration_seconds_sum{method="GET",route="/v1/escrows/:escrowId",status="200"} ${String(9 * scale)}`,
    `gateway_http_request_duration_seconds_count{method="GET",route="/v1/escrows/:escrowId",status="200"} ${String(scale)}`,
    `gateway_fabric_submit_duration_seconds_sum{transaction="createEscrow"} ${String(0.1 * scale)}`,
    `gateway_fabric_submit_duration_seconds_count{transaction="createEscrow"} ${String(scale)}`,
    `gateway_fabric_submit_duration_seconds_sum{transaction="ship"} ${String(0.1 * scale)}`,
    `gateway_fabric_commit_duration_seconds_sum{transaction="ship"} ${String(0.4 * scale)}`,
    `gateway_fabric_read_your_writes_seconds_sum{transaction="ship"} ${String(0.06 * scale)}`,
    `gateway_fabric_peer_catch_up_seconds_sum{org="MarketB",outcome="seen"} ${String(7 * scale)}`,
  ].join('\n');

describe('gatewayStages', () => {
  it('sums each stage histogram over its labels, the handler over POST requests only', () => {
    const totals = stageTotalsOf(metrics(10));
    expect(totals.handler.count).to.equal(20);
    expect(totals.handler.seconds).to.be.closeTo(8, 1e-9);
    expect(totals.endorseSubmit.seconds).to.be.closeTo(2, 1e-9);
    expect(totals.commitStatus.seconds).to.be.closeTo(4, 1e-9);
    expect(totals.readYourWrites.seconds).to.be.closeTo(0.6, 1e-9);
    expect(stageTotalsOf('').handler).to.deep.equal({ seconds: 0, count: 0 });
  });

  it('gives the means per write request between two scrapes, and what lies outside the handler', () => {
    const stages = stagesBetween(stageTotalsOf(metrics(10)), stageTotalsOf(metrics(30)), 500, 330);
    // 40 writes: 16 s in the handler, 4 s endorsing, 8 s for the commit status, 1.2 s catching up.
    expect(stages).to.deep.equal({
      writes: 40,
      stepMs: 500,
      straightStepMs: 330,
      handlerMs: 400,
      endorseSubmitMs: 100,
      commitStatusMs: 200,
      readYourWritesMs: 30,
      restOfHandlerMs: 70,
      outsideHandlerMs: 100,
    });
    expect(stagesTable(stages!).join('\n')).to.contain(
      '| … read-your-writes: every other org’s peer at the block | 30 ms |',
    );
  });

  it('adds replicas together, and measures nothing when no write was answered', () => {
    const both = addStageTotals(stageTotalsOf(metrics(10)), stageTotalsOf(metrics(20)));
    expect(both.handler.count).to.equal(60);
    expect(stagesBetween(both, both, 500, 330)).to.equal(undefined);
  });
});
