import {
  readSecurityEvent,
  SecurityEventEmitter,
  type SecurityDropReason,
  type SecurityEvent,
  type SecurityEventSink,
} from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import fc from 'fast-check';
import { decide, type Outcome } from '../engine/decide';
import type { RiskEvent } from '../engine/riskEvent';
import type { Action, Rule, RuleSet } from '../rules/ruleSet';
import type { PendingHold } from '../store/riskStore';
import { RiskSecurityEvents, transactionOfEvent } from './riskSecurityEvents';

class Recorded implements SecurityEventSink {
  readonly name = 'recorded';
  readonly events: SecurityEvent[] = [];
  write(events: readonly SecurityEvent[]): Promise<void> {
    this.events.push(...events);
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const actor = { mspId: 'OversightMSP', org: 'Oversight', verified: true };
const txId = '5d0e3c9bb2a54a8f8e0b3b5c2e1f7a6d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49';

const event: RiskEvent = {
  eventId: `${txId}:0`,
  eventType: 'EscrowCreated',
  escrowId: 'esc-9a8b7c',
  at: Date.parse('2030-01-01T00:00:00Z'),
  state: 'CREATED',
  currency: 'EUR',
  amount: 2_500_000,
  buyerRefund: 0,
  sellerPayout: 0,
  buyer: { marketplace: 'MarketA', userId: 'alice' },
  seller: { marketplace: 'MarketB', userId: 'bea' },
};

function rule(name: string, action: Action, shadow: boolean, matches = true): Rule {
  return {
    name,
    on: ['EscrowCreated'],
    // The event's amount is 2 500 000: "> 0" always matches, "> 1e12" never does.
    when: { field: 'amount', op: '>', value: matches ? 0 : 1e12 },
    action,
    severity: action === 'hold' ? 'high' : 'medium',
    shadow,
    reasonCode: name.toUpperCase().replace(/-/g, '_'),
  };
}

const hold: PendingHold = {
  escrowId: 'esc-9a8b7c',
  rule: 'high-value',
  reasonCode: 'HIGH_VALUE',
  severity: 'high',
  buyerMarketplace: 'MarketA',
  sellerMarketplace: 'MarketB',
  amount: '2500000',
  currency: 'EUR',
  attempts: 0,
};

function reporter(): {
  report: RiskSecurityEvents;
  events: () => Promise<SecurityEvent[]>;
  dropped: Record<string, number>;
} {
  const sink = new Recorded();
  const dropped: Record<string, number> = {};
  const emitter = new SecurityEventEmitter([sink], {
    emitted: () => undefined,
    dropped: (name: string, reason: SecurityDropReason, count: number) => {
      dropped[reason] = (dropped[reason] ?? 0) + count;
    },
  });
  return {
    report: new RiskSecurityEvents(emitter, { source: 'risk', actor }),
    events: async () => {
      await emitter.flush();
      // Each as the SOC's reader sees it: the one schema, checked.
      return sink.events.map((recorded) => readSecurityEvent(JSON.parse(JSON.stringify(recorded))));
    },
    dropped,
  };
}

function outcomeOf(ruleSet: RuleSet): Outcome {
  return decide(ruleSet, event, new Map());
}

describe('security events of the risk service', () => {
  it('reports nothing for shadow rules, whatever they would have done, when nothing live matched', async () => {
    const { report, events } = reporter();
    const outcome = outcomeOf({
      rules: [rule('shadow-hold', 'hold', true), rule('shadow-review', 'review', true)],
    });
    expect(outcome.shadowHits).to.have.length(2);
    report.decided(event, outcome);
    expect(await events()).to.deep.equal([]);
  });

  it('reports a live review as risk.flag_raised with the matched event’s transaction, and not the shadow hold beside it', async () => {
    const { report, events } = reporter();
    const outcome = outcomeOf({
      rules: [rule('shadow-hold', 'hold', true), rule('large-trade', 'review', false)],
    });
    report.decided(event, outcome);
    const [flag, ...more] = await events();
    expect(more).to.have.length(0);
    expect(flag).to.include({ type: 'risk.flag_raised', source: 'risk', severity: 'medium', txId });
    expect(flag?.actor).to.deep.equal(actor);
    expect(flag?.detail).to.deep.equal({
      escrowId: 'esc-9a8b7c',
      rule: 'large-trade',
      reasonCode: 'LARGE_TRADE',
      amount: '2500000',
    });
  });

  it('reports nothing for a hold at decision time (it is reported once the ledger has it) nor for an allow', async () => {
    const { report, events } = reporter();
    report.decided(event, outcomeOf({ rules: [rule('high-value', 'hold', false)] }));
    report.decided(event, outcomeOf({ rules: [rule('trusted', 'allow', false)] }));
    report.decided(event, outcomeOf({ rules: [rule('never', 'review', false, false)] }));
    expect(await events()).to.deep.equal([]);
  });

  it('reports a hold on the ledger as risk.flag_raised and risk.hold, with the amount, currency and transaction', async () => {
    const { report, events } = reporter();
    const raiseTx = 'a'.repeat(64);
    report.holdRaised(hold, raiseTx);
    const reported = await events();
    expect(reported.map((each) => each.type)).to.deep.equal(['risk.flag_raised', 'risk.hold']);
    for (const each of reported) expect(each).to.include({ source: 'risk', severity: 'high', txId: raiseTx });
    expect(reported[0]?.detail).to.deep.equal({
      escrowId: 'esc-9a8b7c',
      rule: 'high-value',
      reasonCode: 'HIGH_VALUE',
      amount: '2500000',
    });
    expect(reported[1]?.detail).to.deep.equal({
      escrowId: 'esc-9a8b7c',
      rule: 'high-value',
      reasonCode: 'HIGH_VALUE',
      amount: '2500000',
      currency: 'EUR',
    });
  });

  it('reports a hold found already raised without a transaction id rather than not at all', async () => {
    const { report, events } = reporter();
    report.holdRaised(hold, undefined);
    const reported = await events();
    expect(reported.map((each) => each.type)).to.deep.equal(['risk.flag_raised', 'risk.hold']);
    for (const each of reported) expect(each.txId).to.equal(undefined);
  });

  it('counts a hold without its amount as a dropped risk.hold instead of inventing one', async () => {
    const { report, events, dropped } = reporter();
    report.holdRaised({ ...hold, amount: undefined, currency: undefined }, 'b'.repeat(64));
    const reported = await events();
    expect(reported.map((each) => each.type)).to.deep.equal(['risk.flag_raised']);
    expect(reported[0]?.detail).to.not.have.property('amount');
    expect(dropped['invalid']).to.equal(1);
  });

  it('never reports a shadow rule, and reports exactly one flag per live review, over any rule list', async () => {
    const arbitraryRules = fc
      .array(
        fc.record({
          action: fc.constantFrom<Action>('allow', 'review', 'hold'),
          shadow: fc.boolean(),
          matches: fc.boolean(),
        }),
        { maxLength: 8 },
      )
      .map((specs) =>
        specs.map((spec, index) => rule(`r${String(index)}`, spec.action, spec.shadow, spec.matches)),
      );
    await fc.assert(
      fc.asyncProperty(arbitraryRules, async (rules) => {
        const { report, events } = reporter();
        const outcome = outcomeOf({ rules });
        report.decided(event, outcome);
        const reported = await events();
        const shadowNames = new Set(rules.filter((each) => each.shadow).map((each) => each.name));
        for (const each of reported)
          expect(shadowNames.has((each.detail as { rule: string }).rule)).to.equal(false);
        expect(reported).to.have.length(outcome.decision.action === 'review' ? 1 : 0);
      }),
      { numRuns: 100 },
    );
  });

  it('takes the transaction id from an escrow event id', () => {
    expect(transactionOfEvent(`${txId}:3`)).to.equal(txId);
  });
});
