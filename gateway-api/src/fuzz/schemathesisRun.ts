// One `schemathesis run` against a gateway's served /openapi.json, as a child process: seeded, bounded
// by its number of examples (killed only if it outlives its guard), with the project's hooks and checks
// (fuzzHooks.py) and the plan they read.
import { schemathesisBin } from '@p2p-escrow/testkit';
import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** The checks every response must pass; the last is fuzzHooks.py's. */
export const FUZZ_CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'refusal_is_problem_with_code',
] as const;

export interface SchemathesisRun {
  /** The gateway's origin; the document is read from `${baseUrl}/openapi.json`. */
  readonly baseUrl: string;
  readonly caFile: string;
  readonly planFile: string;
  readonly seed: number;
  /** Which phases: `fuzzing` (random valid and invalid data per operation), `stateful` (link sequences). */
  readonly phases: readonly ('fuzzing' | 'stateful')[];
  /** Cases per operation in the fuzzing phase; scenarios in the stateful phase. */
  readonly maxExamples: number;
  /** Threads of the fuzzing phase (the stateful phase runs its scenarios one after another). */
  readonly workers: number;
  /** Killed past this: a guard against a hung run, never the run's bound. */
  readonly guardSeconds: number;
  /** Where it runs and keeps its cache (.schemathesis/): the test's temporary folder, never the clone. */
  readonly workDir: string;
  /** Only these operations; all of the document's when absent. */
  readonly operationIds?: readonly string[];
}

export interface SchemathesisOutcome {
  readonly exitCode: number | null;
  readonly output: string;
}

// fuzzHooks.py sits beside this module's source; the build leaves it there.
const hooksDir = path.resolve(__dirname, '..', '..', 'src', 'fuzz');

export function schemathesisArguments(run: SchemathesisRun): string[] {
  return [
    'run',
    `${run.baseUrl}/openapi.json`,
    // Bounded by examples, not by --max-time: a time budget is split into equal slices per operation,
    // sized as if they ran one after another, and on two loaded cores a write's answer (its commit)
    // outlasts its slice, so a 150 s budget gave one case per operation a turn (137 requests in all).
    // No coverage phase: it enumerates every schema's boundary and negative values up front (94 s of
    // CPU on two cores for this document before a single fuzzed or stateful case). No examples phase:
    // its documented examples are valid writes, which the fixtures and the stateful links make anyway.
    '--phases',
    run.phases.join(','),
    '--checks',
    FUZZ_CHECKS.join(','),
    '--seed',
    String(run.seed),
    '--max-examples',
    String(run.maxExamples),
    '--workers',
    String(run.workers),
    '--tls-verify',
    run.caFile,
    '--request-timeout',
    '60',
    '--continue-on-failure',
    '--suppress-health-check',
    'all',
    ...(run.operationIds ?? []).flatMap((id) => ['--include-operation-id', id]),
  ];
}

export function runSchemathesis(run: SchemathesisRun): Promise<SchemathesisOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(schemathesisBin, schemathesisArguments(run), {
      cwd: run.workDir,
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        PYTHONPATH: hooksDir,
        SCHEMATHESIS_HOOKS: 'fuzzHooks',
        FUZZ_PLAN: run.planFile,
        NO_COLOR: '1',
        COLUMNS: '160',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The examples bound the run; this only guards against one that hangs.
    const guard = setTimeout(() => child.kill('SIGKILL'), run.guardSeconds * 1000);
    child.once('error', (error) => {
      clearTimeout(guard);
      reject(error);
    });
    child.once('close', (exitCode) => {
      clearTimeout(guard);
      resolve({ exitCode, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}
