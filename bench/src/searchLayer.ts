// The search layer: the gateway's own search SQL on a seeded scratch schema (offchain-db's
// seedSearch, which never touches the live projection), run as a child process and read back.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './gatewayLayer';

export interface SearchReport {
  readonly escrows: number;
  readonly seedSeconds: number;
  readonly samplesPerQuery: number;
  readonly overall: { p50: number; p95: number; max: number };
  readonly queries: Record<string, { p50: number; p95: number; max: number; meanRows: number }>;
  readonly pid?: number;
}

export async function runSearch(
  count: number,
  samples: number,
  onPid: (pid: number) => void,
  timeoutSeconds = 420,
): Promise<SearchReport> {
  const script = path.join(repoRoot, 'bench', 'dist', 'seedSearch.js');
  const child = spawn(
    process.execPath,
    [script, '--count', String(count), '--samples', String(samples), '--schema', 'search_bench'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (child.pid !== undefined) onPid(child.pid);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutSeconds * 1000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`seedSearch exited with ${String(code)}: ${stderr.slice(-500)}`);
  return JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'bench', 'reports', 'search.json'), 'utf8'),
  ) as SearchReport;
}
