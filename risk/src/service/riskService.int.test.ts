// The risk service of the running stack: a velocity rule holds, on the ledger, the escrow with which
// a buyer crossed it; a shadow rule changes nothing on the ledger but its hit is recorded; the
// backtest prints each rule's hits. A high-value hold goes end to end: the flag on the ledger, its
// security events, the alerting service's signed alert to this test's own receiver, and the keeper
// leaving the escrow unreleased until an arbiter clears the flag. The test's rules name a buyer or an
// amount of its own, so they act on no other test's trades, and reach the service by its rules file,
// which it reloads while running.
import { activeRiskFlags, type Escrow, type RiskFlag } from '@p2p-escrow/chaincode';
import { readSecurityEvent, type SecurityEvent } from '@p2p-escrow/fabric-client';
import {
  ALERT_ID_HEADER,
  readAlertRules,
  SIGNATURE_HEADER,
  verifyWebhookSignature,
  writeAlertTarget,
} from '@p2p-escrow/offchain-db';
import {
  alertRulesFile,
  alertWebhookSecret,
  alertWebhookUrlFile,
  as,
  CROSS_MARKET,
  escrowDatabaseAs,
  eventually,
  fabricSuite,
  PartnerEndpoint,
  projectionPool,
  securityEventsFile,
  Trade,
  untilPast,
} from '@p2p-escrow/testkit';
import { keeperOpsUrl, repoRoot, riskOpsUrl, riskRulesFile } from '@p2p-escrow/scripts';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from 'pg';

const buyer = `velocity-${crypto.randomBytes(4).toString('hex')}`;

/** The alert rule the high-value hold must fire, and its threshold. */
const HIGH_VALUE_ALERT = 'high-value-hold';
const highValueAlert = readAlertRules(JSON.parse(fs.readFileSync(alertRulesFile, 'utf8'))).find(
  (rule) => rule.name === HIGH_VALUE_ALERT,
);
const minAmount = Number(highValueAlert?.minAmount ?? Number.NaN);
/** Amounts of this run alone (the rules match them exactly): one at or above the alert's, one below. */
const highAmount = minAmount + crypto.randomInt(1, 900_000);
const reviewAmount = 1000 + crypto.randomInt(1, 900_000);

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
      {
        name: 'test-high-value',
        on: ['EscrowCreated'],
        when: { field: 'amount', op: '==', value: highAmount },
        action: 'hold',
        severity: 'high',
        reasonCode: 'HIGH_VALUE',
      },
      {
        name: 'test-review',
        on: ['EscrowCreated'],
        when: { field: 'amount', op: '==', value: reviewAmount },
        action: 'review',
        severity: 'low',
      },
    ],
  };
}

/** The risk service's security events about `escrowId`, from its JSON-lines file. */
function riskSecurityEventsOf(escrowId: string): SecurityEvent[] {
  const file = securityEventsFile('risk');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes(escrowId))
    .map((line) => readSecurityEvent(JSON.parse(line)))
    .filter((event) => 'escrowId' in event.detail && event.detail.escrowId === escrowId);
}

/** Passes the keeper has finished, from its own histogram's count. */
async function keeperPasses(): Promise<number> {
  const text = await (await fetch(`${keeperOpsUrl}/metrics`)).text();
  const line = text.split('\n').find((each) => each.startsWith('keeper_tick_seconds_count'));
  return Number(line?.split(' ').at(-1) ?? Number.NaN);
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
  let rulesInForceBefore: string | undefined;
  const testRules = JSON.stringify(rulesFor(buyer), null, 2);
  const trades: Trade[] = [];
  const alerts = new PartnerEndpoint(ALERT_ID_HEADER, SIGNATURE_HEADER);

  before(async () => {
    expect(minAmount, `${HIGH_VALUE_ALERT}'s minAmount`).to.be.greaterThan(0);
    alerts.up = true;
    writeAlertTarget(alertWebhookUrlFile, await alerts.start());
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
    fs.rmSync(alertWebhookUrlFile, { force: true });
    await alerts.close();
    // Only what the before hook got to: a stack that was down leaves nothing to restore.
    if (rulesInForceBefore !== undefined) await putRules(rulesInForceBefore);
    await (db as Client | undefined)?.end();
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

  it('reports the velocity hold as security events, and nothing for the shadow rule’s hits', async () => {
    const held = trades[2]!;
    const reported = await eventually(
      `the security events of ${held.escrowId}`,
      () => {
        const events = riskSecurityEventsOf(held.escrowId);
        return events.length >= 2 ? events : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(reported.map((event) => event.type)).to.deep.equal(['risk.flag_raised', 'risk.hold']);
    const { rows } = await db.query<{ tx_id: string }>(`SELECT tx_id FROM risk.holds WHERE escrow_id = $1`, [
      held.escrowId,
    ]);
    for (const event of reported)
      expect(event).to.include({ source: 'risk', severity: 'high', txId: rows[0]?.tx_id });
    expect(reported[1]?.detail).to.deep.equal({
      escrowId: held.escrowId,
      rule: 'test-velocity',
      reasonCode: 'BUYER_VELOCITY',
      amount: held.amount,
      currency: held.currency,
    });
    // The second trade's decision (a shadow hold) was written before the third's: nothing of it.
    for (const trade of trades.slice(0, 2)) expect(riskSecurityEventsOf(trade.escrowId)).to.deep.equal([]);
  });

  it('reports a review as risk.flag_raised with the matched event’s transaction, and holds nothing', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'risk-review', String(reviewAmount));
    await trade.create();
    const [flag, ...more] = await eventually(
      'the review’s security event',
      () => {
        const events = riskSecurityEventsOf(trade.escrowId);
        return events.length > 0 ? events : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(more).to.have.length(0);
    const { rows } = await db.query<{ event_id: string }>(
      `SELECT event_id FROM risk.review_queue WHERE escrow_id = $1 AND rule = 'test-review'`,
      [trade.escrowId],
    );
    expect(rows).to.have.length(1);
    expect(flag).to.include({
      type: 'risk.flag_raised',
      severity: 'low',
      txId: rows[0]?.event_id.split(':')[0],
    });
    expect(flag?.detail).to.deep.equal({
      escrowId: trade.escrowId,
      rule: 'test-review',
      reasonCode: 'TEST_REVIEW',
      amount: String(reviewAmount),
    });
    expect(flagsOf(await trade.read())).to.deep.equal([]);
  });

  it('holds a high-value escrow end to end: ledger flag, risk.hold, a signed alert, no release by the keeper until cleared', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'risk-high-value', String(highAmount));
    await trade.create({ inspectionPeriodSeconds: 3 });
    const [flag] = await eventually(
      `the hold on ${trade.escrowId}`,
      async () => {
        const active = activeRiskFlags(await trade.read());
        return active.length > 0 ? active : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(flag).to.include({ rule: 'test-high-value', reasonCode: 'HIGH_VALUE', action: 'hold' });

    // The risk service's risk.hold, in its file, with the raiseRiskFlag transaction and the amount.
    const hold = await eventually(
      'the risk.hold event',
      () => riskSecurityEventsOf(trade.escrowId).find((event) => event.type === 'risk.hold'),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const { rows } = await db.query<{ tx_id: string }>(`SELECT tx_id FROM risk.holds WHERE escrow_id = $1`, [
      trade.escrowId,
    ]);
    expect(hold).to.include({ source: 'risk', txId: rows[0]?.tx_id });
    expect(hold.detail).to.include({ amount: String(highAmount), currency: 'EUR', rule: 'test-high-value' });

    // The alerting service's alert, signed with the alert secret, naming the escrow and the event.
    const alert = await eventually(
      'the high-value alert',
      () => alerts.received.find((delivery) => delivery.body.includes(`"key":"${trade.escrowId}"`)),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(verifyWebhookSignature(alertWebhookSecret(), alert.signature, alert.body)).to.equal(true);
    expect(verifyWebhookSignature('another secret', alert.signature, alert.body)).to.equal(false);
    const body = JSON.parse(alert.body) as Record<string, unknown>;
    expect(body).to.include({ rule: HIGH_VALUE_ALERT, key: trade.escrowId, eventType: 'risk.hold' });
    expect(body['eventIds']).to.deep.equal([hold.id]);
    expect(alert.eventId).to.equal(body['id']);
    // The velocity hold (12345 minor units, below minAmount) came earlier on the one partition: no alert.
    expect(alerts.received.filter((delivery) => delivery.body.includes(trades[2]!.escrowId))).to.have.length(
      0,
    );

    // Delivered, its inspection window over: the keeper passes over it while the flag holds.
    await trade.fund();
    await trade.ship();
    const delivered = await trade.confirmDelivery();
    await untilPast(new Date(delivered.escrow.delivery?.inspectionEndsAt ?? ''));
    const projection = projectionPool();
    try {
      await eventually(
        'the projection of the held, delivered escrow',
        async () => {
          const { rows: projected } = await projection.query<{ state: string; held: boolean }>(
            'SELECT state, held FROM escrows WHERE escrow_id = $1',
            [trade.escrowId],
          );
          return projected[0]?.state === 'DELIVERED' && projected[0].held ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      // Two more finished passes: the second began after the window closed and the projection showed it.
      const passes = await keeperPasses();
      await eventually(
        'two keeper passes',
        async () => ((await keeperPasses()) >= passes + 2 ? true : undefined),
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      const waiting = await trade.read();
      expect(waiting.state).to.equal('DELIVERED');
      expect(activeRiskFlags(waiting)).to.have.length(1);

      const cleared = await as(
        'olivia',
        'POST',
        `/v1/escrows/${trade.escrowId}/risk-flags/test-high-value/clear`,
        {
          reason: 'high value checked with the buyer',
        },
      );
      expect(cleared.status, cleared.text).to.equal(200);
      const released = await eventually(
        'the release by the keeper',
        async () => {
          const { rows: moved } = await projection.query<{ payload: { actor: Record<string, unknown> } }>(
            `SELECT payload FROM transitions WHERE escrow_id = $1 AND event_name = 'Released'`,
            [trade.escrowId],
          );
          return moved[0]?.payload.actor;
        },
        { timeoutMs: 90_000, intervalMs: 500 },
      );
      expect(released).to.include({ organization: 'Oversight', role: 'keeper' });
      expect((await trade.read()).state).to.equal('RELEASED');
    } finally {
      await projection.end();
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
    ((bad.rules[1]!.when as { all: unknown[] }).all[1] as { window: string }).window = 'an hour';
    fs.writeFileSync(file, JSON.stringify(bad));
    const { code, stderr } = await runBacktest(['--rules', file]);
    expect(code).to.equal(2);
    expect(stderr).to.include('rules[1].when.all[1].window: must be a count and a unit');
  });
});
