import { expect } from 'chai';
import fc from 'fast-check';
import { NettingError } from './nettingErrors';
import { netObligations, netPositions, type Obligation, type Statement } from './netting';

const marketplaces = ['MarketA', 'MarketB', 'MarketC', 'MarketD'];

/** Obligations with distinct escrow ids, one currency per period (as a real period is). */
const obligationsArbitrary = fc
  .array(
    fc.record({
      payer: fc.constantFrom(...marketplaces),
      payee: fc.constantFrom(...marketplaces),
      amountMinor: fc.bigInt({ min: 1n, max: 10n ** 12n }),
      period: fc.constantFrom('2026-11-28', '2026-11-29', '2026-11-30'),
    }),
    { maxLength: 120 },
  )
  .map((drafts) =>
    drafts
      .filter((draft) => draft.payer !== draft.payee)
      .map((draft, index): Obligation => ({ ...draft, escrowId: `esc-${index}`, currency: 'EUR' })),
  );

function owes(
  escrowId: string,
  payer: string,
  payee: string,
  amountMinor: bigint,
  currency: string,
  period: string,
): Obligation {
  return { escrowId, payer, payee, amountMinor, currency, period };
}

const sum = (values: readonly bigint[]): bigint => values.reduce((total, value) => total + value, 0n);

/** Each marketplace's position per period straight from the obligations, without any netting. */
function directPositions(obligations: readonly Obligation[]): Map<string, Map<string, bigint>> {
  const positions = new Map<string, Map<string, bigint>>();
  for (const { period, payer, payee, amountMinor } of obligations) {
    const byMarketplace = positions.get(period) ?? new Map<string, bigint>();
    byMarketplace.set(payer, (byMarketplace.get(payer) ?? 0n) - amountMinor);
    byMarketplace.set(payee, (byMarketplace.get(payee) ?? 0n) + amountMinor);
    positions.set(period, byMarketplace);
  }
  return positions;
}

function withoutZeros(positions: Map<string, Map<string, bigint>>): Record<string, Record<string, string>> {
  const plain: Record<string, Record<string, string>> = {};
  for (const [period, byMarketplace] of positions) {
    const entries = [...byMarketplace].filter(([, amount]) => amount !== 0n);
    if (entries.length > 0) plain[period] = Object.fromEntries(entries.map(([m, a]) => [m, a.toString()]));
  }
  return plain;
}

function nettingError(run: () => unknown): NettingError {
  try {
    run();
  } catch (error) {
    if (error instanceof NettingError) return error;
    throw error;
  }
  throw new Error('the obligations were netted');
}

describe('netting of obligations between marketplaces', () => {
  it('nets both ways of a pair into one statement: gross each way, net, direction, escrows', () => {
    const statements = netObligations([
      owes('e1', 'MarketA', 'MarketB', 10_000n, 'EUR', 'p1'),
      owes('e2', 'MarketB', 'MarketA', 2_500n, 'EUR', 'p1'),
      owes('e0', 'MarketA', 'MarketB', 1n, 'EUR', 'p1'),
    ]);
    expect(statements).to.deep.equal([
      {
        statementId: 'p1:MarketA:MarketB',
        period: 'p1',
        first: 'MarketA',
        second: 'MarketB',
        currency: 'EUR',
        grossFirstToSecond: 10_001n,
        grossSecondToFirst: 2_500n,
        net: 7_501n,
        direction: { from: 'MarketA', to: 'MarketB' },
        escrowIds: ['e0', 'e1', 'e2'],
      },
    ]);
  });

  it('marks a pair that owes each other the same amount as balanced, with nothing to pay', () => {
    const [statement] = netObligations([
      owes('e1', 'MarketB', 'MarketA', 700n, 'EUR', 'p1'),
      owes('e2', 'MarketA', 'MarketB', 700n, 'EUR', 'p1'),
    ]);
    expect(statement).to.include({ net: 0n, direction: 'balanced' });
  });

  it('keeps the sum of the obligations equal to the gross of the statements', () => {
    fc.assert(
      fc.property(obligationsArbitrary, (obligations) => {
        const statements = netObligations(obligations);
        const gross = sum(statements.map((s) => s.grossFirstToSecond + s.grossSecondToFirst));
        expect(gross).to.equal(sum(obligations.map((o) => o.amountMinor)));
      }),
    );
  });

  it('puts every escrow in exactly one statement, of its own period and pair', () => {
    fc.assert(
      fc.property(obligationsArbitrary, (obligations) => {
        const statements = netObligations(obligations);
        const covered = statements.flatMap((s) => s.escrowIds);
        expect(covered).to.have.length(new Set(covered).size);
        expect([...covered].sort()).to.deep.equal(obligations.map((o) => o.escrowId).sort());
        const statementOf = new Map<string, Statement>();
        for (const s of statements) for (const id of s.escrowIds) statementOf.set(id, s);
        for (const o of obligations) {
          const s = statementOf.get(o.escrowId);
          expect(s?.period).to.equal(o.period);
          expect([s?.first, s?.second]).to.have.members([o.payer, o.payee]);
        }
      }),
    );
  });

  it('nets to the difference of the gross amounts, paid by the one that owes more', () => {
    fc.assert(
      fc.property(obligationsArbitrary, (obligations) => {
        for (const s of netObligations(obligations)) {
          const difference = s.grossFirstToSecond - s.grossSecondToFirst;
          expect(s.net).to.equal(difference < 0n ? -difference : difference);
          if (difference > 0n) expect(s.direction).to.deep.equal({ from: s.first, to: s.second });
          else if (difference < 0n) expect(s.direction).to.deep.equal({ from: s.second, to: s.first });
          else expect(s.direction).to.equal('balanced');
          expect(s.first < s.second).to.equal(true);
        }
      }),
    );
  });

  it('conserves money: per period the nets sum to zero over the marketplaces, each as its obligations say', () => {
    fc.assert(
      fc.property(obligationsArbitrary, (obligations) => {
        const positions = netPositions(netObligations(obligations));
        for (const byMarketplace of positions.values()) expect(sum([...byMarketplace.values()])).to.equal(0n);
        expect(withoutZeros(positions)).to.deep.equal(withoutZeros(directPositions(obligations)));
      }),
    );
  });

  it('gives the same statements whatever the order of the obligations', () => {
    fc.assert(
      fc.property(
        obligationsArbitrary.chain((obligations) =>
          fc.tuple(
            fc.constant(obligations),
            fc.shuffledSubarray(obligations, { minLength: obligations.length }),
          ),
        ),
        ([obligations, shuffled]) => {
          expect(netObligations(shuffled)).to.deep.equal(netObligations(obligations));
        },
      ),
    );
  });

  it('refuses to mix currencies in one statement (NETTING_MIXED_CURRENCIES)', () => {
    const error = nettingError(() =>
      netObligations([
        owes('e1', 'MarketA', 'MarketB', 100n, 'EUR', 'p1'),
        owes('e2', 'MarketB', 'MarketA', 100n, 'USD', 'p1'),
      ]),
    );
    expect(error.code).to.equal('NETTING_MIXED_CURRENCIES');
    expect(error.message).to.include('p1:MarketA:MarketB');
  });

  it('nets other pairs and periods in their own currencies', () => {
    const statements = netObligations([
      owes('e1', 'MarketA', 'MarketB', 100n, 'EUR', 'p1'),
      owes('e2', 'MarketA', 'MarketC', 100n, 'USD', 'p1'),
      owes('e3', 'MarketA', 'MarketB', 100n, 'GBP', 'p2'),
    ]);
    expect(statements.map((s) => [s.statementId, s.currency])).to.deep.equal([
      ['p1:MarketA:MarketB', 'EUR'],
      ['p1:MarketA:MarketC', 'USD'],
      ['p2:MarketA:MarketB', 'GBP'],
    ]);
  });

  it('refuses an escrow owed twice (NETTING_DUPLICATE_ESCROW) and a malformed obligation (NETTING_OBLIGATION_INVALID)', () => {
    const base: Obligation = owes('e1', 'MarketA', 'MarketB', 100n, 'EUR', 'p1');
    expect(nettingError(() => netObligations([base, { ...base, period: 'p2' }])).code).to.equal(
      'NETTING_DUPLICATE_ESCROW',
    );
    for (const bad of [
      { payee: 'MarketA' },
      { amountMinor: 0n },
      { amountMinor: -5n },
      { currency: 'eur' },
      { escrowId: '' },
      { period: '' },
      { period: 'p:1' },
    ]) {
      expect(
        nettingError(() => netObligations([{ ...base, ...bad }])).code,
        JSON.stringify(bad, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
      ).to.equal('NETTING_OBLIGATION_INVALID');
    }
  });

  it('balances a period of 240 escrows across three marketplaces to the unit', () => {
    const trio = ['MarketA', 'MarketB', 'MarketC'] as const;
    // A fixed, varied book: every ordered pair, odd amounts, two periods.
    const obligations: Obligation[] = Array.from({ length: 240 }, (_, index) => {
      const payer = trio[index % 3] ?? 'MarketA';
      const payee = trio[(index + 1 + (Math.floor(index / 3) % 2)) % 3] ?? 'MarketB';
      return {
        escrowId: `esc-${String(index).padStart(3, '0')}`,
        payer,
        payee,
        amountMinor: BigInt(1_000 + ((index * 7_919) % 99_991)),
        currency: 'EUR',
        period: index < 200 ? '2026-11-29' : '2026-11-30',
      };
    });
    const statements = netObligations(obligations);
    expect(statements).to.have.length(6);
    expect(sum(statements.map((s) => BigInt(s.escrowIds.length)))).to.equal(240n);
    const total = sum(obligations.map((o) => o.amountMinor));
    expect(sum(statements.map((s) => s.grossFirstToSecond + s.grossSecondToFirst))).to.equal(total);
    const positions = netPositions(statements);
    for (const [period, byMarketplace] of directPositions(obligations)) {
      for (const marketplace of trio) {
        // What each marketplace is owed minus what it owes, escrow by escrow, equals what it nets.
        expect(positions.get(period)?.get(marketplace) ?? 0n, `${period} ${marketplace}`).to.equal(
          byMarketplace.get(marketplace) ?? 0n,
        );
      }
      expect(sum([...(positions.get(period)?.values() ?? [])])).to.equal(0n);
    }
  });
});
