import { expect } from 'chai';
import fc from 'fast-check';
import type { Rule, RuleSet } from '../rules/ruleSet';
import { decide, metricRequests, type MetricValues } from './decide';
import type { RiskEvent } from './riskEvent';

const event: RiskEvent = {
  eventId: 'tx:0',
  eventType: 'EscrowCreated',
  escrowId: 'esc-1',
  at: Date.parse('2030-01-01T00:00:00Z'),
  state: 'PROPOSED',
  currency: 'EUR',
  amount: 10_000,
  buyerRefund: 0,
  sellerPayout: 0,
  buyer: { marketplace: 'MarketA', userId: 'alice' },
  seller: { marketplace: 'MarketB', userId: 'bea' },
};

function rule(name: string, matches: boolean, overrides: Partial<Rule> = {}): Rule {
  return {
    name,
    on: ['EscrowCreated'],
    // amount is 10 000: "> 0" always matches, "> 1e12" never does.
    when: { field: 'amount', op: '>', value: matches ? 0 : 1e12 },
    action: 'hold',
    severity: 'high',
    shadow: false,
    reasonCode: name.toUpperCase(),
    ...overrides,
  };
}

const noValues: MetricValues = new Map();

const arbitraryRule = fc
  .record({
    matches: fc.boolean(),
    shadow: fc.boolean(),
    action: fc.constantFrom('allow', 'review', 'hold'),
  })
  .map(({ matches, shadow, action }) => ({ matches, shadow, action }));

const arbitraryRules = fc
  .array(arbitraryRule, { maxLength: 8 })
  .map((specs) =>
    specs.map((spec, index) =>
      rule(`r${String(index)}`, spec.matches, { shadow: spec.shadow, action: spec.action }),
    ),
  );

describe('risk rule engine', () => {
  it('allows by default when no rule matches', () => {
    const outcome = decide({ rules: [rule('never', false)] }, event, noValues);
    expect(outcome.decision).to.deep.equal({ rule: undefined, action: 'allow', severity: undefined });
  });

  it('lets the first matching non-shadow rule decide', () => {
    const ruleSet: RuleSet = {
      rules: [rule('never', false), rule('review', true, { action: 'review' }), rule('hold', true)],
    };
    expect(decide(ruleSet, event, noValues).decision.rule?.name).to.equal('review');
  });

  it('only looks at rules for the event type', () => {
    const outcome = decide({ rules: [rule('disputes', true, { on: ['DisputeRaised'] })] }, event, noValues);
    expect(outcome.decision.action).to.equal('allow');
  });

  it('compares an absent metric as false, and asks for each metric once', () => {
    const velocity = rule('velocity', true, {
      when: { all: [{ metric: 'escrowsCreatedByBuyer', window: '1h', op: '>=', value: 0 }] },
    });
    const again = rule('again', true, {
      when: { metric: 'escrowsCreatedByBuyer', window: '1h', op: '<', value: 5 },
    });
    expect(decide({ rules: [velocity] }, event, noValues).decision.action).to.equal('allow');
    expect(metricRequests({ rules: [velocity, again] }, 'EscrowCreated')).to.deep.equal([
      { metric: 'escrowsCreatedByBuyer', window: '1h' },
    ]);
    const values = new Map([['escrowsCreatedByBuyer@1h', 6]]);
    expect(decide({ rules: [velocity] }, event, values).decision.rule?.name).to.equal('velocity');
  });

  it('property: shadow rules never change the decision, wherever they stand', () => {
    fc.assert(
      fc.property(arbitraryRules, (rules) => {
        const live = rules.filter((each) => !each.shadow);
        const withShadows = decide({ rules }, event, noValues);
        const withoutShadows = decide({ rules: live }, event, noValues);
        expect(withShadows.decision).to.deep.equal(withoutShadows.decision);
        expect(withShadows.shadowHits.map((each) => each.name)).to.deep.equal(
          rules
            .filter((each) => each.shadow && (each.when as { value: number }).value === 0)
            .map((each) => each.name),
        );
      }),
    );
  });

  it('property: order decides ties: of two matching live rules, the earlier one decides', () => {
    fc.assert(
      fc.property(arbitraryRules, fc.nat(), fc.nat(), (rules, i, j) => {
        const first = rule('first', true, { action: 'review' });
        const second = rule('second', true, { action: 'hold' });
        const at = Math.min(i % (rules.length + 1), j % (rules.length + 1));
        const placed = [...rules.slice(0, at), first, ...rules.slice(at), second];
        const decided = decide({ rules: placed }, event, noValues).decision.rule;
        const earlierLive = placed
          .slice(0, at)
          .find((each) => !each.shadow && (each.when as { value: number }).value === 0);
        expect(decided?.name).to.equal(earlierLive?.name ?? 'first');
      }),
    );
  });
});
