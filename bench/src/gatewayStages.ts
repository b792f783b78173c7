// Where a gateway step's time goes at low load, from the gateway's own histograms between two scrapes
// of every bench gateway: the handler's time per write request and, within it, the endorsement and
// submission, the wait for the commit status and the read-your-writes wait for the other orgs' peers.
// The rest of the handler is the token check, request validation, idempotency, the escrow's parties and
// the answer; the rest of the bench's step is outside the handler (TLS and HTTP, the client, and in the
// payment step the provider's event and the fund it commits).

/** The histograms read, each summed over its labels (the handler's: POST requests only). */
const STAGE_SERIES = {
  handler: 'gateway_http_request_duration_seconds',
  endorseSubmit: 'gateway_fabric_submit_duration_seconds',
  commitStatus: 'gateway_fabric_commit_duration_seconds',
  readYourWrites: 'gateway_fabric_read_your_writes_seconds',
} as const;

type Stage = keyof typeof STAGE_SERIES;
const STAGES = Object.keys(STAGE_SERIES) as Stage[];

export type StageTotals = Readonly<Record<Stage, { readonly seconds: number; readonly count: number }>>;

/** The `_sum` and `_count` of each stage's histogram in one `/metrics` text. */
export function stageTotalsOf(metricsText: string): StageTotals {
  const totals = Object.fromEntries(STAGES.map((stage) => [stage, { seconds: 0, count: 0 }])) as Record<
    Stage,
    { seconds: number; count: number }
  >;
  for (const line of metricsText.split('\n')) {
    const match = /^(\w+)_(sum|count)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) continue;
    const stage = STAGES.find((candidate) => STAGE_SERIES[candidate] === match[1]);
    if (stage === undefined) continue;
    if (stage === 'handler' && !/(?:^|,)method="POST"/.test(match[3] ?? '')) continue;
    const value = Number(match[4]);
    if (match[2] === 'sum') totals[stage].seconds += value;
    else totals[stage].count += value;
  }
  return totals;
}

export function addStageTotals(a: StageTotals, b: StageTotals): StageTotals {
  return Object.fromEntries(
    STAGES.map((stage) => [
      stage,
      { seconds: a[stage].seconds + b[stage].seconds, count: a[stage].count + b[stage].count },
    ]),
  ) as StageTotals;
}

// A type, not an interface, so the report's summary can hold it as named numbers.
export type GatewayStepStages = {
  /** Write requests the gateways answered between the scrapes. */
  readonly writes: number;
  /** Means per write request, in ms (a stage's retries included). */
  readonly stepMs: number;
  readonly straightStepMs: number;
  readonly handlerMs: number;
  readonly endorseSubmitMs: number;
  readonly commitStatusMs: number;
  readonly readYourWritesMs: number;
  /** The handler less the three Fabric stages. */
  readonly restOfHandlerMs: number;
  /** The bench's step less the handler. */
  readonly outsideHandlerMs: number;
};

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * The stages between two scrapes, as means per write request, beside the bench's own mean step
 * through the gateway and straight to the peers. Undefined when the gateways answered no write.
 */
export function stagesBetween(
  before: StageTotals,
  after: StageTotals,
  stepMeanMs: number,
  straightStepMeanMs: number,
): GatewayStepStages | undefined {
  const writes = after.handler.count - before.handler.count;
  if (writes <= 0) return undefined;
  const perWrite = (stage: Stage) => ((after[stage].seconds - before[stage].seconds) * 1000) / writes;
  const handlerMs = perWrite('handler');
  const endorseSubmitMs = perWrite('endorseSubmit');
  const commitStatusMs = perWrite('commitStatus');
  const readYourWritesMs = perWrite('readYourWrites');
  return {
    writes,
    stepMs: round(stepMeanMs),
    straightStepMs: round(straightStepMeanMs),
    handlerMs: round(handlerMs),
    endorseSubmitMs: round(endorseSubmitMs),
    commitStatusMs: round(commitStatusMs),
    readYourWritesMs: round(readYourWritesMs),
    restOfHandlerMs: round(handlerMs - endorseSubmitMs - commitStatusMs - readYourWritesMs),
    outsideHandlerMs: round(stepMeanMs - handlerMs),
  };
}

/** The report's table of the stages. */
export function stagesTable(stages: GatewayStepStages): string[] {
  const row = (label: string, ms: number) => `| ${label} | ${String(ms)} ms |`;
  return [
    `Where a gateway step's time went at that low rate: means per write request over the ${String(stages.writes)} the bench gateways answered, from their histograms (\`gateway_http_request_duration_seconds\` for POST, \`gateway_fabric_submit_duration_seconds\`, \`gateway_fabric_commit_duration_seconds\`, \`gateway_fabric_read_your_writes_seconds\`).`,
    '',
    '| stage | mean per write |',
    '| --- | --- |',
    row('the bench’s step through the gateway', stages.stepMs),
    row('the same step straight to the peers', stages.straightStepMs),
    row('the gateway’s handler', stages.handlerMs),
    row('… endorsement and submission', stages.endorseSubmitMs),
    row('… commit status from the caller’s peer', stages.commitStatusMs),
    row('… read-your-writes: every other org’s peer at the block', stages.readYourWritesMs),
    row(
      '… the rest of the handler (token, validation, idempotency, parties, answer)',
      stages.restOfHandlerMs,
    ),
    row(
      'outside the handler (TLS and HTTP, the client; in the payment step the provider’s event and its fund)',
      stages.outsideHandlerMs,
    ),
    '',
  ];
}
