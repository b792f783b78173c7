// `review-rings [--apply] [--json]`: reads the projection's trades and reviews, prints the review
// rings it finds (text on stdout, or one JSON line with --json), and with --apply records them as the
// current run (once per run id). Thresholds: P2P_REVIEW_RINGS_* (offchainConfig), defaults in
// reviewRingModel. Exit code 2 for a bad argument or setting, 1 for a failure while acting.
import pino from 'pino';
import { reviewRingsConfig } from '../config/offchainConfig';
import { runProcess } from '../ops/processMain';
import { newPool } from '../store/pgPool';
import { PgReviewRingStore } from './pgReviewRingStore';
import { findReviewRings } from './ringFinder';
import { reviewRingRun, runJson, runText } from './ringRun';

const log = pino({ name: 'review-rings' });
const FLAGS = ['--apply', '--json'];

async function main(argv: readonly string[]): Promise<void> {
  const unknown = argv.filter((arg) => !FLAGS.includes(arg));
  if (unknown.length > 0) {
    console.error(`error: unknown argument ${unknown.join(' ')} (usage: review-rings [--apply] [--json])`);
    process.exitCode = 2;
    return;
  }
  const config = reviewRingsConfig(process.env);
  const pool = newPool(config.database, 2);
  try {
    const store = new PgReviewRingStore(pool);
    const input = await store.read();
    const run = reviewRingRun(
      input,
      config.finder,
      findReviewRings(input.trades, input.reviews, config.finder),
    );
    const recorded = argv.includes('--apply')
      ? await store.record(run, new Date())
      : 'not recorded (no --apply)';
    if (argv.includes('--json')) console.log(JSON.stringify({ ...runJson(run), recorded }));
    else console.log(`${runText(run)}\n${recorded === 'recorded' ? 'recorded' : recorded}: run ${run.runId}`);
  } finally {
    await pool.end();
  }
}

runProcess('review-rings', () => main(process.argv.slice(2)), log, 1);
