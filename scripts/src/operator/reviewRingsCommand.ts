// `operator review-rings [--apply] [--json]`: runs offchain-db's review-ring job
// (offchain-db/dist/reviewRings/main.js) on the auditor's projection as its own database role,
// `escrow_review_rings`, which reads trades and reviews and records runs, and nothing more.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../env/paths';
import { offchainDatabaseEnv } from '../offchain/offchainServices';
import { EXIT_RUNTIME, OperatorError } from './operatorError';
import type { ReviewRingsOptions } from './program';

const reviewRingsJob = path.join(repoRoot, 'offchain-db', 'dist', 'reviewRings', 'main.js');

export async function runReviewRings(options: ReviewRingsOptions): Promise<void> {
  const args = [...(options.apply ? ['--apply'] : []), ...(options.json ? ['--json'] : [])];
  const child = spawn(process.execPath, [reviewRingsJob, ...args], {
    env: { ...process.env, ...offchainDatabaseEnv('review_rings') },
    stdio: 'inherit',
  });
  const code = await new Promise<number>((resolve) => {
    child.on('exit', (exitCode) => {
      resolve(exitCode ?? EXIT_RUNTIME);
    });
  });
  if (code !== 0) throw new OperatorError('REVIEW_RINGS_FAILED', 'review-rings failed', code);
}
