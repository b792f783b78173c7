// The netting proven through the contract: hundreds of cross-marketplace escrows across three
// marketplaces, released or resolved at random, become one statement per pair and period whose
// amounts balance to the unit against the escrows' own seller payouts.
import { expect } from 'chai';
import fc from 'fast-check';
import { escrowFromBytes } from '../escrow/escrowCodec';
import { CALLERS } from '../testing/contractFixtures';
import {
  contract,
  endTrade,
  identitiesOf,
  statementLedger,
  type TradeSpec,
} from '../testing/statementFixtures';
import { settlementPeriodAt } from './settlementPeriod';
import { statementFromBytes, type StatementRecord } from './statement';

const MARKETPLACES = ['MarketA', 'MarketB', 'MarketC'] as const;
const PERIOD_SECONDS = 10;
/** Three periods well in the past, yet within the endorsers' 300 s skew for the whole run. */
const OFFSETS_MS = [-150_000, -120_000, -90_000];

const pairArbitrary = fc
  .tuple(fc.constantFrom(...MARKETPLACES), fc.constantFrom(...MARKETPLACES))
  .filter(([buyer, seller]) => buyer !== seller);

const tradeArbitrary = fc.record({
  pair: pairArbitrary,
  price: fc.integer({ min: 1, max: 10_000_000 }),
  refundShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  offset: fc.constantFrom(...OFFSETS_MS),
});

const add = (map: Map<string, bigint>, key: string, amount: bigint): void => {
  map.set(key, (map.get(key) ?? 0n) + amount);
};

describe('netting through the contract, across three marketplaces', function () {
  this.timeout(300_000);

  it('balances ≥ 200 released and resolved escrows to the unit, each escrow in exactly one statement', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(tradeArbitrary, { minLength: 200, maxLength: 240 }), async (drafts) => {
        const ledger = await statementLedger(PERIOD_SECONDS);
        const start = Date.now();
        const specs: TradeSpec[] = drafts.map((draft, index) => ({
          escrowId: `esc-${String(index).padStart(3, '0')}`,
          buyerMarketplace: draft.pair[0],
          sellerMarketplace: draft.pair[1],
          price: String(draft.price),
          buyerRefund:
            draft.refundShare === undefined ? undefined : String(Math.floor(draft.price * draft.refundShare)),
          atMs: start + draft.offset,
        }));
        for (const spec of specs) await endTrade(ledger, spec);

        // What each escrow's end says is owed, straight from the escrow records.
        const owed = new Map<string, bigint>();
        const positions = new Map<string, bigint>();
        const periods = new Set<string>();
        for (const spec of specs) {
          const escrow = escrowFromBytes(
            Buffer.from(await ledger.as(CALLERS.auditor)((ctx) => contract.readEscrow(ctx, spec.escrowId))),
          );
          const payout = BigInt(escrow.sellerPayout);
          const period = settlementPeriodAt(spec.atMs, PERIOD_SECONDS).period;
          periods.add(period);
          if (payout === 0n) continue;
          owed.set(spec.escrowId, payout);
          add(positions, `${period}/${spec.sellerMarketplace}`, payout);
          add(positions, `${period}/${spec.buyerMarketplace}`, -payout);
        }

        const statements: StatementRecord[] = [];
        for (const period of periods)
          for (const [first, second] of [
            ['MarketA', 'MarketB'],
            ['MarketA', 'MarketC'],
            ['MarketB', 'MarketC'],
          ] as const) {
            const id = `${period}:${first}:${second}`;
            try {
              await ledger.as(identitiesOf(first).payments)((ctx) => contract.proposeStatement(ctx, id));
            } catch (error) {
              if (error instanceof Error && error.message.startsWith('NO_OBLIGATIONS: ')) continue;
              throw error;
            }
            statements.push(
              statementFromBytes(await ledger.as(CALLERS.auditor)((ctx) => contract.readStatement(ctx, id))),
            );
          }

        const covered = statements.flatMap((statement) => statement.escrowIds);
        expect(covered).to.have.length(new Set(covered).size);
        expect([...covered].sort()).to.deep.equal([...owed.keys()].sort());
        const gross = statements.reduce(
          (sum, s) => sum + BigInt(s.grossFirstToSecond) + BigInt(s.grossSecondToFirst),
          0n,
        );
        expect(gross).to.equal([...owed.values()].reduce((sum, amount) => sum + amount, 0n));
        const netted = new Map<string, bigint>();
        for (const s of statements) {
          if (s.payer === null || s.payee === null) continue;
          add(netted, `${s.period}/${s.payee}`, BigInt(s.net));
          add(netted, `${s.period}/${s.payer}`, -BigInt(s.net));
        }
        for (const [key, amount] of positions) expect(netted.get(key) ?? 0n, key).to.equal(amount);
        for (const period of periods) {
          const sum = MARKETPLACES.reduce((total, m) => total + (netted.get(`${period}/${m}`) ?? 0n), 0n);
          expect(sum, period).to.equal(0n);
        }
      }),
      { numRuns: 2 },
    );
  });
});
