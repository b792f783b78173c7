// The chaos run's report: JSON (everything) and Markdown (faults by kind, requests by outcome,
// recovery per kind, verdicts) in a folder of its own under bench/reports/ (gitignored).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChaosReport } from './chaosRun';
import { describeDiagnosis } from './lostAnswerDiagnosis';

export function chaosMarkdown(report: ChaosReport): string {
  const lines = [
    `# Chaos run, seed ${String(report.seed)}`,
    '',
    `Started ${report.startedAt}, ${String(report.wallSeconds)} s wall; load ${String(report.options.minutes)} min ` +
      `(${String(report.loadWindowSeconds)} s with the faults still being healed) at ` +
      `${String(report.options.rate)} lifecycles/s; ${String(report.faults.length)} of ${String(report.options.faults)} scheduled faults injected. ` +
      `Replay: \`npm run chaos -- --seed ${String(report.seed)} --minutes ${String(report.options.minutes)} --faults ${String(report.options.faults)}\`.`,
    '',
    `**Verdict: ${report.passed ? 'PASS' : 'FAIL'}**`,
    '',
    '| verdict | result | figures | examples |',
    '| --- | --- | --- | --- |',
    ...report.verdicts.map(
      (v) =>
        `| ${v.name} | ${v.passed ? 'pass' : '**FAIL**'} | ${v.detail} | ${v.examples.slice(0, 3).join('; ').replace(/\|/g, '\\|')} |`,
    ),
    '',
    '## Faults by kind (recovery: from the fault until the target is healthy and every daemon runs)',
    '',
    '| kind | count | recovered | recovery mean (s) | recovery max (s) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...Object.entries(report.faultsByKind)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([kind, k]) =>
          `| ${kind} | ${String(k.count)} | ${String(k.recovered)} | ${(k.recoveryMsMean / 1000).toFixed(1)} | ${(k.recoveryMsMax / 1000).toFixed(1)} |`,
      ),
    '',
    '## Requests by outcome (every attempt, retries included)',
    '',
    '| outcome | count |',
    '| --- | ---: |',
    ...Object.entries(report.requests).map(([outcome, n]) => `| ${outcome} | ${String(n)} |`),
    '',
    '## Escrows',
    '',
    `Started ${String(report.escrows.started)}, walked to their end ${String(report.escrows.completed)}; ` +
      `gave up at: ${JSON.stringify(report.escrows.gaveUp)}; states: ${JSON.stringify(report.escrows.byState)}.`,
    `Quiescence ${report.quiescence.reached ? 'reached' : 'not reached'} after ${String(report.quiescence.seconds)} s; reconcile exit ${String(report.reconcile.status)}.`,
    '',
    ...(report.lostAnswers.length === 0
      ? []
      : [
          '## Answered 2xx but not once on the ledger',
          '',
          "Each request, its Idempotency-Key, the transaction id it was answered with, what each org's peer",
          "holds of that id (qscc GetTransactionByID) and the gateways' and peers' log lines naming it.",
          '',
          ...report.lostAnswers.flatMap((lost) => [
            `- ${describeDiagnosis(lost)}`,
            ...lost.logLines.slice(0, 12).map((line) => `  - \`${line.replace(/`/g, "'")}\``),
          ]),
          '',
        ]),
    '## Faults in order',
    '',
    ...report.faults.map(
      (f) =>
        `- #${String(f.index)} +${(f.injectedAtMs / 1000).toFixed(1)}s ${f.kind} (${f.action} ${f.target}): ` +
        (f.recoveryMs === undefined
          ? `not recovered: ${f.error ?? ''}`
          : `${(f.recoveryMs / 1000).toFixed(1)} s`) +
        (f.alsoRelaunched.length > 0 ? `, also relaunched ${f.alsoRelaunched.join(', ')}` : ''),
    ),
    '',
  ];
  return lines.join('\n');
}

/** Writes report.json and report.md into a new folder under `root`; returns the folder. */
export function writeChaosReport(root: string, report: ChaosReport, name = 'chaos'): string {
  const folder = path.join(
    root,
    `${name}-${report.startedAt.replace(/[:.]/g, '-')}-seed${String(report.seed)}`,
  );
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(folder, 'report.md'), chaosMarkdown(report));
  return folder;
}
