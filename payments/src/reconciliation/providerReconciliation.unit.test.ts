import type { Escrow } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import type { ProviderActivity } from '../port/paymentProvider';
import { ledgerMovementsOf, reconcile, reportJson, reportText } from './providerReconciliation';

const period = { from: new Date('2026-11-30T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
const at = new Date('2026-11-30T10:00:00Z');
const actor = { organization: 'MarketA', mspId: 'MarketAMSP', role: 'payments', userId: 'p' };

function settled(escrowId: string, buyerMarketplace = 'MarketA'): Escrow {
  const settlement = (amount: string, providerRef: string) => ({
    amount,
    providerRef,
    recordedAt: at.toISOString(),
    recordedBy: actor,
  });
  return {
    escrowId,
    state: 'RESOLVED',
    buyer: { marketplace: buyerMarketplace, userId: 'alice' },
    seller: { marketplace: 'MarketA', userId: 'amir' },
    currency: 'EUR',
    fundedAmount: '10000',
    funding: { providerRef: `pi_${escrowId}`, fundedAt: at.toISOString(), fundedBy: actor },
    settlements: {
      buyer: settlement('4000', `re_${escrowId}`),
      seller: settlement('5850', `tr_${escrowId}`),
    },
  } as unknown as Escrow;
}

function activity(
  kind: ProviderActivity['kind'],
  providerId: string,
  amount: bigint,
  status: string,
): ProviderActivity {
  return { kind, providerId, escrowId: 'e1', amountMinor: amount, currency: 'EUR', status, createdAt: at };
}

const providerOf = (escrowId: string): ProviderActivity[] => [
  activity('payment', `pi_${escrowId}`, 10000n, 'succeeded'),
  activity('refund', `re_${escrowId}`, 4000n, 'succeeded'),
  activity('transfer', `tr_${escrowId}`, 5850n, 'paid'),
];

describe('provider reconciliation', () => {
  it('is clean when every payment, refund and transfer matches the ledger’s by id and amount', () => {
    const report = reconcile(
      'MarketA',
      period,
      providerOf('e1'),
      ledgerMovementsOf([settled('e1')], 'MarketA', period),
    );
    expect(report).to.deep.include({
      providerMovements: 3,
      ledgerMovements: 3,
      matched: 3,
      clean: true,
      differences: [],
    });
  });

  it('reports money the provider moved that the ledger does not know (a refund made outside it)', () => {
    const outside = { ...activity('refund', 're_outside', 700n, 'succeeded'), escrowId: undefined };
    const report = reconcile(
      'MarketA',
      period,
      [...providerOf('e1'), outside],
      ledgerMovementsOf([settled('e1')], 'MarketA', period),
    );
    expect(report.clean).to.equal(false);
    expect(report.differences).to.deep.equal([
      {
        code: 'PAID_NOT_ON_LEDGER',
        kind: 'refund',
        providerId: 're_outside',
        escrowId: undefined,
        amountMinor: 700n,
        currency: 'EUR',
      },
    ]);
  });

  it('reports a settlement the ledger records that the provider never paid, and an amount that differs', () => {
    const provider = providerOf('e1').filter((line) => line.kind !== 'transfer');
    provider[1] = { ...(provider[1] as ProviderActivity), amountMinor: 4100n };
    const report = reconcile(
      'MarketA',
      period,
      provider,
      ledgerMovementsOf([settled('e1')], 'MarketA', period),
    );
    expect(report.differences.map((difference) => difference.code)).to.deep.equal([
      'AMOUNT_MISMATCH',
      'ON_LEDGER_NOT_PAID',
    ]);
    expect(report.differences[0]).to.deep.include({
      providerId: 're_e1',
      ledgerAmountMinor: 4000n,
      providerAmountMinor: 4100n,
    });
    expect(report.differences[1]).to.deep.include({
      providerId: 'tr_e1',
      escrowId: 'e1',
      amountMinor: 5850n,
    });
  });

  it('counts only what moved money, in the period, on the marketplace’s own buyers’ escrows', () => {
    const unpaid = activity('payment', 'pi_open', 500n, 'requires_payment_method');
    const old = {
      ...activity('transfer', 'tr_old', 5n, 'paid'),
      createdAt: new Date('2009-02-13T23:31:30Z'),
    };
    const ledger = ledgerMovementsOf([settled('e1'), settled('e2', 'MarketB')], 'MarketA', period);
    const report = reconcile('MarketA', period, [...providerOf('e1'), unpaid, old], ledger);
    expect(report).to.deep.include({ providerMovements: 3, ledgerMovements: 3, clean: true });
  });

  it('writes the report as JSON with decimal amounts, and as text with one line per difference', () => {
    const report = reconcile('MarketA', period, [], ledgerMovementsOf([settled('e1')], 'MarketA', period));
    const json = JSON.parse(reportJson(report)) as { clean: boolean; differences: { amountMinor: string }[] };
    expect(json.clean).to.equal(false);
    expect(json.differences.map((difference) => difference.amountMinor)).to.deep.equal([
      '10000',
      '4000',
      '5850',
    ]);
    const text = reportText(report);
    expect(text.split('\n')[0]).to.contain('3 differences');
    expect(text).to.contain('ON_LEDGER_NOT_PAID transfer tr_e1 escrow e1: 5850 EUR');
  });
});
