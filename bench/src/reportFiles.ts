// What every bench script does with its result: the report as JSON beside its Markdown under
// bench/reports/ (git-ignored), and one way to end the script on an error.
import { repoRoot } from '@p2p-escrow/scripts';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes bench/reports/<name>.json and <name>.md; returns the Markdown's path. */
export function writeReport(name: string, report: unknown, markdown: string): string {
  const dir = path.join(repoRoot, 'bench', 'reports');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const markdownFile = path.join(dir, `${name}.md`);
  fs.writeFileSync(markdownFile, markdown);
  return markdownFile;
}

/** Runs a script's main; an error is printed and ends the process with 1 (open gRPC channels or not). */
export function runScript(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
