// The event catalogue (offchain-db/EVENTS.md) against the chaincode's own list of events, so the
// document partners read cannot drift from what the ledger emits.
import { EVENT_NAMES } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CATALOGUE = path.join(__dirname, '..', '..', 'EVENTS.md');

/** The first column of the "Types" table: one backquoted event name per row. */
function catalogueTypes(markdown: string): string[] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith('Types'));
  if (section === undefined) throw new Error('EVENTS.md has no "## Types" section');
  return [...section.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((match) => match[1] ?? '');
}

describe('event catalogue (EVENTS.md)', () => {
  it("documents every event the chaincode emits, once, in the chaincode's order, and nothing else", () => {
    expect(catalogueTypes(fs.readFileSync(CATALOGUE, 'utf8'))).to.deep.equal([...EVENT_NAMES]);
  });
});
