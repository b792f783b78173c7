import { securityEvent, type SecurityEvent } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AlertRuleEngine, AlertRulesInvalidError, readAlertRules, type AlertRule } from './alertRules';

const rulesFile = path.resolve(__dirname, '..', '..', '..', 'deploy', 'alerts', 'security.rules.json');

const burst: AlertRule = {
  name: 'auth-failed-burst-address',
  description: 'a burst',
  type: 'auth.failed',
  keyBy: 'ip',
  threshold: 5,
  windowSeconds: 60,
  severity: 'high',
};

const hold: AlertRule = {
  name: 'high-value-hold',
  description: 'a big hold',
  type: 'risk.hold',
  keyBy: 'escrowId',
  threshold: 1,
  windowSeconds: 3600,
  severity: 'critical',
  minAmount: '1000000',
};

const t0 = Date.parse('2026-11-30T12:00:00.000Z');

function authFailed(atMs: number, ip = '203.0.113.7'): SecurityEvent {
  return securityEvent({
    type: 'auth.failed',
    source: 'gateway-marketa',
    ip,
    time: new Date(atMs),
    detail: { code: 'TOKEN_INVALID', method: 'GET', path: '/v1/escrows' },
  });
}

function riskHold(amount: string, escrowId = 'esc-1'): SecurityEvent {
  return securityEvent({
    type: 'risk.hold',
    source: 'risk',
    time: new Date(t0),
    detail: { escrowId, rule: 'velocity', reasonCode: 'VELOCITY', amount, currency: 'EUR' },
  });
}

function alertsOf(engine: AlertRuleEngine, events: readonly SecurityEvent[]) {
  return events.flatMap((event) => engine.observe(event));
}

describe('the security alert rules', () => {
  it('read the shipped rules file', () => {
    const rules = readAlertRules(JSON.parse(fs.readFileSync(rulesFile, 'utf8')));
    expect(rules.map((rule) => rule.name)).to.include.members([
      'auth-failed-burst-address',
      'webhook-signature-failures',
      'high-value-hold',
    ]);
  });

  it('refuse a rules file with an unknown event type, key or a duplicated name', () => {
    expect(() => readAlertRules({ rules: [{ ...burst, type: 'auth.guessed' }] })).to.throw(
      AlertRulesInvalidError,
    );
    expect(() => readAlertRules({ rules: [{ ...burst, keyBy: 'password' }] })).to.throw(
      AlertRulesInvalidError,
    );
    expect(() => readAlertRules({ rules: [burst, burst] })).to.throw(AlertRulesInvalidError, /unique/);
  });

  it('fire once the threshold of events from one key falls within the window, and not one event before', () => {
    const engine = new AlertRuleEngine([burst]);
    const events = [0, 10, 20, 30, 40].map((s) => authFailed(t0 + s * 1000));
    expect(alertsOf(engine, events.slice(0, 4))).to.have.length(0);
    const [alert, ...more] = engine.observe(events[4] as SecurityEvent);
    expect(more).to.have.length(0);
    expect(alert).to.include({ rule: burst.name, key: '203.0.113.7', count: 5, severity: 'high' });
    expect(alert?.eventIds).to.deep.equal(events.map((event) => event.id));
  });

  it('do not fire when the same number of events is spread wider than the window', () => {
    const engine = new AlertRuleEngine([burst]);
    expect(
      alertsOf(
        engine,
        [0, 20, 40, 60, 80, 100].map((s) => authFailed(t0 + s * 1000)),
      ),
    ).to.have.length(0);
  });

  it('count each key alone', () => {
    const engine = new AlertRuleEngine([burst]);
    const events = [0, 1, 2, 3, 4].map((s) => authFailed(t0 + s * 1000, `198.51.100.${String(s)}`));
    expect(alertsOf(engine, events)).to.have.length(0);
  });

  it('fire once per (rule, key, window), and again for a burst after that window', () => {
    const engine = new AlertRuleEngine([burst]);
    const first = alertsOf(
      engine,
      Array.from({ length: 20 }, (_, i) => authFailed(t0 + i * 1000)),
    );
    expect(first).to.have.length(1);
    const later = alertsOf(
      engine,
      Array.from({ length: 5 }, (_, i) => authFailed(t0 + 120_000 + i * 1000)),
    );
    expect(later).to.have.length(1);
    expect(later[0]?.id).not.to.equal(first[0]?.id);
  });

  it('fire on a hold of a high-value escrow only, once per escrow', () => {
    const engine = new AlertRuleEngine([hold]);
    expect(engine.observe(riskHold('999999'))).to.have.length(0);
    expect(engine.observe(riskHold('1000000'))).to.have.length(1);
    expect(engine.observe(riskHold('250000000000000000000'))).to.have.length(0);
    expect(engine.observe(riskHold('1000000', 'esc-2'))).to.have.length(1);
  });

  it('raise the first alert exactly at the first event that completes threshold events within the window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 20 }),
        (gaps, threshold, windowSeconds) => {
          const rule = { ...burst, threshold, windowSeconds };
          const times = gaps.reduce<number[]>((acc, gap) => [...acc, (acc[acc.length - 1] ?? t0) + gap], []);
          const windowMs = windowSeconds * 1000;
          const expected = times.findIndex(
            (at, i) => times.slice(0, i + 1).filter((other) => other > at - windowMs).length >= threshold,
          );
          const engine = new AlertRuleEngine([rule]);
          const fired = times.findIndex((at) => engine.observe(authFailed(at)).length > 0);
          expect(fired).to.equal(expected);
        },
      ),
    );
  });

  it('never raise more alerts for one key than windows the events span', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 10 }),
        (gaps, windowSeconds) => {
          const rule = { ...burst, threshold: 1, windowSeconds };
          const times = gaps.reduce<number[]>((acc, gap) => [...acc, (acc[acc.length - 1] ?? t0) + gap], []);
          const engine = new AlertRuleEngine([rule]);
          const alerts = alertsOf(
            engine,
            times.map((at) => authFailed(at)),
          );
          const span = (times[times.length - 1] ?? t0) - (times[0] ?? t0);
          expect(alerts.length).to.be.at.most(Math.floor(span / (windowSeconds * 1000)) + 1);
          expect(new Set(alerts.map((alert) => alert.id)).size).to.equal(alerts.length);
        },
      ),
    );
  });
});
