import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRuleSet, parseRuleSet, reasonCodeOf, RulesFileError } from './ruleSet';
import { windowMs } from './window';

const velocity = {
  name: 'buyer-velocity',
  on: ['EscrowCreated'],
  when: { all: [{ metric: 'escrowsCreatedByBuyer', window: '1h', op: '>', value: 5 }] },
  action: 'hold',
  severity: 'high',
};

function problemsOf(value: unknown): readonly string[] {
  try {
    parseRuleSet(value, 'rules.json');
  } catch (error) {
    expect(error).to.be.instanceOf(RulesFileError);
    expect((error as RulesFileError).code).to.equal('RISK_RULES_INVALID');
    return (error as RulesFileError).problems;
  }
  throw new Error('the rule set was accepted');
}

describe('risk rules file', () => {
  it('reads a rule with its defaults: not shadow, the reason code from its name', () => {
    const { rules } = parseRuleSet({ version: 1, rules: [velocity] }, 'rules.json');
    expect(rules[0]).to.include({ name: 'buyer-velocity', shadow: false, reasonCode: 'BUYER_VELOCITY' });
  });

  it('names a bad window by its path', () => {
    const bad = {
      ...velocity,
      when: { all: [{ metric: 'escrowsCreatedByBuyer', window: '1 hour', op: '>', value: 5 }] },
    };
    const problems = problemsOf({ version: 1, rules: [velocity, { ...bad, name: 'second' }] });
    expect(problems.join('\n')).to.match(/^rules\[1\]\.when\.all\[0\]\.window: must be a count and a unit/m);
  });

  it('names an unknown metric, action, severity and event type', () => {
    const problems = problemsOf({
      version: 1,
      rules: [
        {
          ...velocity,
          on: ['Nope'],
          action: 'block',
          severity: 'urgent',
          when: { metric: 'x', op: '>', value: 1 },
        },
      ],
    }).join('\n');
    expect(problems).to.match(/rules\[0\]\.on\[0\]/);
    expect(problems).to.match(/rules\[0\]\.action/);
    expect(problems).to.match(/rules\[0\]\.severity/);
    expect(problems).to.match(/rules\[0\]\.when\.metric: must be one of/);
  });

  it('refuses code where a condition should be, a repeated name and a rule name the ledger would refuse', () => {
    expect(problemsOf({ version: 1, rules: [{ ...velocity, when: 'amount > 5' }] }).join()).to.match(
      /rules\[0\]\.when/,
    );
    expect(problemsOf({ version: 1, rules: [velocity, velocity] }).join()).to.match(
      /rules\[1\]\.name: repeats/,
    );
    expect(problemsOf({ version: 1, rules: [{ ...velocity, name: 'has space' }] }).join()).to.match(
      /rules\[0\]\.name/,
    );
    expect(problemsOf({ version: 1, rules: [{ ...velocity, extra: true }] }).join()).to.match(/rules\[0\]/);
  });

  it('reports a file that is not JSON, naming the file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'risk-rules-')), 'rules.json');
    fs.writeFileSync(file, '{ "version": 1, ');
    expect(() => loadRuleSet(file)).to.throw(RulesFileError, `${file}: invalid rules: is not JSON`);
  });

  it('loads the default rules shipped with the service', () => {
    const rules = loadRuleSet(path.join(__dirname, '..', '..', 'rules', 'default.json')).rules;
    expect(rules.length).to.be.greaterThan(3);
  });

  it('turns any rule name into an UPPER_SNAKE reason code', () => {
    expect(reasonCodeOf('new-buyer.large_trade')).to.equal('NEW_BUYER_LARGE_TRADE');
    expect(reasonCodeOf('9lives')).to.equal('RULE_9LIVES');
  });

  it('reads windows in seconds, minutes, hours and days, up to 366 days', () => {
    expect(windowMs('30s')).to.equal(30_000);
    expect(windowMs('15m')).to.equal(900_000);
    expect(windowMs('1h')).to.equal(3_600_000);
    expect(windowMs('7d')).to.equal(604_800_000);
    expect(windowMs('367d')).to.equal(undefined);
    expect(windowMs('0h')).to.equal(undefined);
    expect(windowMs('1w')).to.equal(undefined);
  });
});
