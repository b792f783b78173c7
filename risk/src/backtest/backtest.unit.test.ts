import { expect } from 'chai';
import type { RiskEvent } from '../engine/riskEvent';
import { parseRuleSet } from '../rules/ruleSet';
import { backtest, reportLines } from './backtest';

const T0 = Date.parse('2030-01-01T00:00:00Z');

function created(index: number): RiskEvent {
  return {
    eventId: `tx${String(index)}:0`,
    eventType: 'EscrowCreated',
    escrowId: `e${String(index)}`,
    at: T0 + index * 1000,
    state: 'PROPOSED',
    currency: 'EUR',
    amount: 1000,
    buyerRefund: 0,
    sellerPayout: 0,
    buyer: { marketplace: 'MarketA', userId: 'alice' },
    seller: { marketplace: 'MarketB', userId: 'bea' },
  };
}

const rules = parseRuleSet(
  {
    version: 1,
    rules: [
      {
        name: 'velocity',
        on: ['EscrowCreated'],
        when: { metric: 'escrowsCreatedByBuyer', window: '1h', op: '>', value: 3 },
        action: 'hold',
        severity: 'high',
      },
      {
        name: 'velocity-shadow',
        on: ['EscrowCreated'],
        when: { metric: 'escrowsCreatedByBuyer', window: '1h', op: '>', value: 1 },
        action: 'hold',
        severity: 'high',
        shadow: true,
      },
    ],
  },
  'test',
);

describe('risk backtest', () => {
  it('counts the hits of each rule over history, shadow rules included', async () => {
    const report = await backtest(rules, [1, 2, 3, 4, 5].map(created), undefined);
    expect(report.rules.map((rule) => [rule.rule, rule.hits])).to.deep.equal([
      ['velocity', 2],
      ['velocity-shadow', 4],
    ]);
    expect(report.defaultAllowed).to.equal(3);
    expect(reportLines(report).join('\n')).to.match(/velocity-shadow\s+shadow\s+hold\s+4\s+4/);
  });

  it('counts hits from --since on, with the earlier history still in the aggregates', async () => {
    const report = await backtest(rules, [1, 2, 3, 4, 5].map(created), T0 + 5000);
    expect(report.assessed).to.equal(1);
    expect(report.rules.map((rule) => rule.hits)).to.deep.equal([1, 1]);
  });
});
