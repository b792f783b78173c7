// The operator command line run as an operator runs it: a child process of its built entry point,
// its exit code and both output streams kept whatever the outcome.
import { repoRoot } from '@p2p-escrow/testkit';
import { execFile } from 'node:child_process';
import * as path from 'node:path';

const operatorMain = path.join(repoRoot, 'scripts', 'dist', 'operator', 'main.js');

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run operator -- ...args`, bounded by `timeoutMs`. */
export function runOperator(timeoutMs: number, ...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile('node', [operatorMain, ...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}
