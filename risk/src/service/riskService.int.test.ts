// The risk service of the running stack: a velocity rule holds, on the ledger, the escrow with which
// a buyer crossed it; a shadow rule changes nothing on the ledger but its hit is recorded; the
// backtest prints each rule's hits. The test's rules name a buyer of its own, so they act on no
// other test's trades, and reach the service by its rules file, which it reloads while running.
import { activeRiskFlags, type Escrow, type RiskFlag } from '@p2p-escrow/chaincode';
import { CROSS_MARKET, escrowDatabaseAs, eventually, fabricSuite, Trade } from '@p2p-escrow/testkit';
import { repoRoot, riskOpsUrl, riskRulesFile } from '@p2p-escrow/scripts';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from 'pg';

const buyer = `velocity-${crypto.randomBytes(4).toString('hex')}`;

function rulesFor(buyerUserId: string) {
  const ofThisBuyer = { field: 'buyerUserId', op: '==', value: buyerUserId };
  return {
    version: 1,
    rules: [
      {
        name: 'test-velocity-shadow',
        on: ['EscrowCreated'],
        when: { all: [ofThisBuyer, { metric: 'escrowsCreatedByBuyer', window: '10m', op: '>', value: 1 }] },
        action: 'hold',
        severity: 'medium',
        shadow: true,
      },
      {
        name: 'test-velocity',
        on: ['EscrowCreated'],
        when: { all: [ofThisBuyer, { metric: 'escrowsCreatedByBuyer', window: '10m', op: '>', value: 2 }] },
        action: 'hold',
        severity: 'high',
        reasonCode: 'BUYER_VELOCITY',
      },
    ],
  };
}

async function rulesInForce(): Promise<{ sha256: string; error?: string }> {
  const response = await fetch(`${riskOpsUrl}/healthz`);
  const body = (await response.json()) as { rules: { sha256: string; error?: string } };
  return body.rules;
}

/** Writes `text` as the rules in force and waits until the service runs on them. */
async function putRules(text: string): Promise<void> {
  fs.writeFileSync(riskRulesFile, text);
  const sha256 = crypto.createHash('sha256').update(text).digest('hex');
  await eventually(
    'the risk service on the new rules',
    async () => ((await rulesInForce()).sha256 === sha256 ? true : undefined),
    {
      timeoutMs: 30_000,
      intervalMs: 250,
    },
  );
}

function flagsOf(escrow: Escrow): readonly RiskFlag[] {
  return escrow.riskFlags;
}

interface DecisionRow {
  rule: string | null;
  action: string;
  shadow: boolean;
  lag_ms: number;
}

async function decisionsOf(db: Client, escrowId: string): Promise<DecisionRow[]> {
  const { rows } = await db.query<DecisionRow>(
    `SELECT rule, action, shadow, (extract(epoch FROM decided_at - event_at) * 1000)::float8 AS lag_ms
       FROM risk.decisions WHERE escrow_id = $1 AND event_type = 'EscrowCreated' ORDER BY shadow, rule`,
    [escrowId],
  );
  return rows;
}

function runBacktest(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [path.join(repoRoot, 'scripts', 'risk.sh'), 'backtest', ...args],
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        });
      },
    );
  });
}

describe('the risk service on the live network', function () {
  this.timeout(300_000);
  const pool = fabricSuite();
  let db: Client;
  let rulesInForceBefore: string;
  const testRules = JSON.stringify(rulesFor(buyer), null, 2);
  const trades: Trade[] = [];

  before(async () => {
    db = await escrowDatabaseAs('risk');
    rulesInForceBefore = fs.readFileSync(riskRulesFile, 'utf8');
    await putRules(testRules);
    for (let index = 0; index < 3; index += 1) {
      const trade = new Trade(pool, CROSS_MARKET, 'risk-velocity');
      trade.terms = { buyer: { marketplace: trade.buyerOrg, userId: buyer } };
      await trade.create();
      trades.push(trade);
    }
  });

  after(async () => {
    await putRules(rulesInForceBefore);
    await db.end();
  });

  it('records a decision for every escrow the buyer created, the shadow rule hitting from the second', async () => {
    const decided = await eventually(
      'the three decisions',
      async () => {
        const rows = await Promise.all(trades.map((trade) => decisionsOf(db, trade.escrowId)));
        return rows.every((each) => each.length > 0) ? rows : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const summary = decided.map((rows) =>
      rows.map((row) => `${row.shadow ? 'shadow' : 'live'}:${row.rule ?? '-'}:${row.action}`),
    );
    expect(summary).to.deep.equal([
      ['live:-:allow'],
      ['live:-:allow', 'shadow:test-velocity-shadow:hold'],
      ['live:test-velocity:hold', 'shadow:test-velocity-shadow:hold'],
    ]);
    const lags = decided
      .flat()
      .filter((row) => !row.shadow)
      .map((row) => Math.round(row.lag_ms));
    console.log(`      risk decision lag (event tx time → decision committed), ms: ${lags.join(', ')}`);
  });

  it('holds on the ledger the escrow that crossed the velocity rule, as the risk identity', async () => {
    const held = trades[2]!;
    const flags = await eventually(
      `the hold on ${held.escrowId}`,
      async () => {
        const active = activeRiskFlags(await held.read());
        return active.length > 0 ? active : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(flags).to.have.length(1);
    expect(flags[0]).to.include({
      rule: 'test-velocity',
      reasonCode: 'BUYER_VELOCITY',
      severity: 'high',
      action: 'hold',
    });
    const { rows } = await db.query<{ status: string }>(
      `SELECT status FROM risk.holds WHERE escrow_id = $1`,
      [held.escrowId],
    );
    expect(rows.map((row) => row.status)).to.deep.equal(['raised']);
  });

  it('leaves the ledger alone for a shadow rule: no flag, no hold queued', async () => {
    for (const trade of trades.slice(0, 2)) {
      expect(flagsOf(await trade.read())).to.deep.equal([]);
      const { rows } = await db.query(`SELECT 1 FROM risk.holds WHERE escrow_id = $1`, [trade.escrowId]);
      expect(rows).to.have.length(0);
    }
  });

  it('backtests the rules over the projection, printing each rule with its hits', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'risk-backtest-')), 'rules.json');
    fs.writeFileSync(file, testRules);
    const { code, stdout } = await runBacktest(['--rules', file]);
    expect(code).to.equal(0);
    expect(stdout).to.match(/^test-velocity-shadow\s+shadow\s+hold\s+2\s+2$/m);
    expect(stdout).to.match(/^test-velocity\s+live\s+hold\s+1\s+1$/m);
  });

  it('refuses a bad rules file in a backtest, naming the field', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'risk-backtest-')), 'rules.json');
    const bad = rulesFor(buyer);
    (bad.rules[1]!.when.all[1] as { window: string }).window = 'an hour';
    fs.writeFileSync(file, JSON.stringify(bad));
    const { code, stderr } = await runBacktest(['--rules', file]);
    expect(code).to.equal(2);
    expect(stderr).to.include('rules[1].when.all[1].window: must be a count and a unit');
  });
});
