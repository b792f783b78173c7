import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../env/paths';

interface Rule {
  readonly alert?: string;
  readonly expr?: string;
  readonly labels?: { readonly severity?: string };
  readonly annotations?: { readonly summary?: string };
}

const rules = (
  parse(fs.readFileSync(path.join(repoRoot, 'deploy', 'alerts', 'payments.rules.yml'), 'utf8')) as {
    groups: { name: string; rules: Rule[] }[];
  }
).groups.flatMap((group) => group.rules);

describe("the payments services' alert rules", () => {
  it('alert on stuck settlements and on reconciliation drift, from the metrics the worker serves', () => {
    const byName = new Map(rules.map((rule) => [rule.alert, rule.expr ?? '']));
    expect(byName.get('SettlementStuck')).to.contain('settlement_parked_escrows');
    expect(byName.get('ReconciliationDrift')).to.contain('payments_reconciliation_differences');
    expect(byName.get('ReconciliationNotRunning')).to.contain(
      'payments_reconciliation_last_run_timestamp_seconds',
    );
  });

  it('give every rule a severity and a summary', () => {
    for (const rule of rules) {
      expect(rule.labels?.severity, rule.alert).to.be.oneOf(['page', 'ticket']);
      expect(rule.annotations?.summary, rule.alert).to.be.a('string').and.not.be.empty;
    }
  });
});
