// The authorization matrix as README.md shows it: two Markdown tables rendered from accessMatrix.ts,
// between two markers, so the README cannot drift from the data the live walks check.
import * as fs from 'node:fs';
import {
  GATEWAY_ACTORS,
  GATEWAY_MATRIX,
  LEDGER_ACTORS,
  LEDGER_MATRIX,
  SETUPS,
  type Actor,
} from './accessMatrix';

export const MATRIX_BEGIN = '<!-- access-matrix:begin (npm run -s docs:matrix) -->';
export const MATRIX_END = '<!-- access-matrix:end -->';

function header(actors: Record<string, Actor>, first: string[]): string[] {
  const columns = [...first, ...Object.values(actors).map((actor) => actor.column)];
  return [`| ${columns.join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`];
}

function cellsOf(cells: Readonly<Record<string, string>>, actors: Record<string, Actor>): string[] {
  return Object.keys(actors).map((actor) => cells[actor] ?? '');
}

export function gatewayMatrixTable(): string {
  const rows = GATEWAY_MATRIX.map((operation) =>
    [
      `\`${operation.method} ${operation.path}\``,
      SETUPS[operation.setup],
      ...cellsOf(operation.cells, GATEWAY_ACTORS),
    ].join(' | '),
  );
  return [...header(GATEWAY_ACTORS, ['operation', 'on']), ...rows.map((row) => `| ${row} |`)].join('\n');
}

export function ledgerMatrixTable(): string {
  const rows = LEDGER_MATRIX.map((operation) =>
    [
      `\`${operation.transaction}\` (${operation.kind})`,
      SETUPS[operation.setup],
      ...cellsOf(operation.cells, LEDGER_ACTORS),
      operation.withoutCounterpartyOrg ?? '—',
    ].join(' | '),
  );
  const head = header(LEDGER_ACTORS, ['transaction', 'on']);
  const [names = '', rule = ''] = head;
  return [
    `${names} allowed actor, without the other party's org |`,
    `${rule} --- |`,
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

/** What each column's caller is, and how it stands to the escrow. */
function legend(): string {
  return Object.values(LEDGER_ACTORS)
    .map(
      (actor) =>
        `\`${actor.column}\`: ${actor.role}, ${actor.relation} (\`${actor.caller}\`, Fabric identity \`${actor.identity}\`)`,
    )
    .join('; ');
}

/** The README's matrix section between the markers, as the data renders it. */
export function matrixSection(): string {
  const size = (rows: readonly { cells: object }[]) =>
    rows.reduce((sum, row) => sum + Object.keys(row.cells).length, 0);
  return [
    MATRIX_BEGIN,
    '',
    `Columns: ${legend()}. The escrow is alice@MarketA buying from bea@MarketB, proposed by MarketA's backend;`,
    "for the third marketplace's callers, alice buying from amir@MarketA, in which MarketB has no part.",
    'Both have two items; the item-level operations act on item 0.',
    '',
    `Through the gateways (${String(size(GATEWAY_MATRIX))} cells; \`ok\`, or the refusal's HTTP status and problem \`code\`):`,
    '',
    gatewayMatrixTable(),
    '',
    `Straight to the peers, as a rogue client with the same Fabric identities (${String(size(LEDGER_MATRIX))} cells;`,
    "`ok`, or the chaincode's refusal code, or the endorsement policy failing at validation):",
    '',
    ledgerMatrixTable(),
    '',
    MATRIX_END,
  ].join('\n');
}

/** `readme` with its matrix section replaced by the data's rendering. */
export function withMatrixSection(readme: string): string {
  const begin = readme.indexOf(MATRIX_BEGIN);
  const end = readme.indexOf(MATRIX_END);
  if (begin < 0 || end < begin) throw new Error('README.md has no access matrix markers');
  return readme.slice(0, begin) + matrixSection() + readme.slice(end + MATRIX_END.length);
}

/** Rewrites the README's matrix section in place (npm run -s docs:matrix). */
export function writeMatrixSection(readmePath: string): void {
  fs.writeFileSync(readmePath, withMatrixSection(fs.readFileSync(readmePath, 'utf8')));
}
