// One `schemathesis run` against a gateway's served /openapi.json, as a child process: seeded,
// bounded in time (killed if it outlives its own budget), with the project's hooks
// and checks (fuzzHooks.py) and the plan they read.
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
  readonly maxTimeSeconds: number;
  readonly maxExamples: number;
  readonly workers: number;
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
    // No coverage phase: it enumerates every schema's boundary and negative values up front, which on
    // two cores takes the whole budget (94 s for one pass over this document, before a single fuzzed
    // or stateful case). No examples phase either: its documented examples are valid writes, each
    // waiting for its commit, and on two loaded cores they took 92 s of a 150 s budget. With
    // --max-time, fuzzing (valid and invalid data) and stateful sequences repeat until it is spent.
    '--phases',
    'fuzzing,stateful',
    '--checks',
    FUZZ_CHECKS.join(','),
    '--seed',
    String(run.seed),
    '--max-examples',
    String(run.maxExamples),
    '--max-time',
    String(run.maxTimeSeconds),
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
    // Its own --max-time ends the phases; this only guards against a run that hangs past it.
    const guard = setTimeout(() => child.kill('SIGKILL'), (run.maxTimeSeconds + 60) * 1000);
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
