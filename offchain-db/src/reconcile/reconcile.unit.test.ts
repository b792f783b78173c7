import { escrowFromBytes, type Escrow, type HistoryEntry } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import type { LedgerReader } from '../ledger/ledgerPorts';
import { escrowRecord } from '../testing/blockBuilder';
import { reconcile, reportText, type Drift, type ProjectedEscrow, type ReconcileStore } from './reconcile';

function ledgerOf(records: Escrow[], histories: Record<string, HistoryEntry[]>, height = 10n): LedgerReader {
  const byId = new Map(records.map((record) => [record.escrowId, record]));
  return {
    height: () => Promise.resolve(height),
    escrowOnLedger: (id) => {
      const record = byId.get(id);
      return record === undefined
        ? Promise.reject(new Error(`ESCROW_NOT_FOUND: ${id}`))
        : Promise.resolve(record);
    },
    ledgerHistory: (id) => Promise.resolve(histories[id] ?? []),
    escrowIds: () => Promise.resolve(new Set(byId.keys())),
  };
}

function storeOf(rows: ProjectedEscrow[], checkpoint = 9n, quarantined: Drift[] = []): ReconcileStore {
  return {
    checkpoint: () => Promise.resolve(checkpoint),
    escrows: () => Promise.resolve(rows),
    outboxMismatches: () => Promise.resolve([]),
    quarantined: () => Promise.resolve(quarantined),
  };
}

const options = { channel: 'marketplace', marketplaces: ['MarketA'], concurrency: 2, catchUpTimeoutMs: 0 };
const escrowOf = (record: Record<string, unknown>): Escrow =>
  escrowFromBytes(Buffer.from(JSON.stringify(record)));
const funded = escrowOf(escrowRecord('esc-1', { state: 'FUNDED', fundedAmount: '12345' }));
const history: Record<string, HistoryEntry[]> = {
  'esc-1': [
    { txId: 't1', timestamp: '', isDelete: false, escrow: null },
    { txId: 't2', timestamp: '', isDelete: false, escrow: null },
  ],
};
const row: ProjectedEscrow = {
  escrowId: 'esc-1',
  state: 'FUNDED',
  currency: 'EUR',
  amount: '12345',
  fundedAmount: '12345',
  buyerRefund: '0',
  sellerPayout: '0',
  fee: '0',
  lastTxId: 't2',
  version: 2,
  escrowTransitions: 2,
};

describe('reconcile', () => {
  it('is clean when every escrow matches the ledger', async () => {
    const report = await reconcile(ledgerOf([funded], history), storeOf([row]), options);

    expect(report.ok).to.equal(true);
    expect(report.drift).to.deep.equal([]);
    expect(reportText(report)).to.match(/CLEAN/);
  });

  it('reports a stale state, a missing transition and an escrow the projection lacks', async () => {
    const other = escrowOf(escrowRecord('esc-2'));
    const stale = {
      ...row,
      state: 'CREATED',
      fundedAmount: '0',
      lastTxId: 't1',
      version: 1,
      escrowTransitions: 1,
    };

    const report = await reconcile(ledgerOf([funded, other], history), storeOf([stale]), options);

    expect(report.ok).to.equal(false);
    expect(report.drift.map((d) => `${d.escrowId} ${d.field}`)).to.have.members([
      'esc-1 state',
      'esc-1 fundedAmount',
      'esc-1 lastTxId',
      'esc-1 versions',
      'esc-1 transitions',
      'esc-2 presence',
    ]);
  });

  it('reports a quarantined escrow as drift with its reason and still checks the others', async () => {
    const other = escrowOf(escrowRecord('esc-2'));
    const reason = '22003: value "1099511627776" is out of range for type integer';
    const quarantined: Drift = {
      escrowId: 'esc-2',
      field: 'quarantined',
      ledger: 'present',
      projection: reason,
    };

    const report = await reconcile(
      ledgerOf([funded, other], history),
      storeOf([row], 9n, [quarantined]),
      options,
    );

    expect(report.ok).to.equal(false);
    expect(report.drift.map((d) => `${d.escrowId} ${d.field}`)).to.have.members([
      'esc-2 quarantined',
      'esc-2 presence',
    ]);
    expect(reportText(report)).to.include(`drift esc-2 quarantined: ledger=present projection=${reason}`);
  });

  it('reports a checkpoint behind the ledger height', async () => {
    const report = await reconcile(ledgerOf([funded], history, 20n), storeOf([row], 9n), options);

    expect(report.drift).to.deep.include({
      escrowId: '*',
      field: 'checkpoint',
      ledger: '19',
      projection: '9',
    });
  });

  /**
   * A ledger on which block 10 commits (releasing esc-1) once the first pass has read esc-1, and a
   * projection that applies it when asked again after that, unless `mirrorApplies` is false.
   */
  function movingNetwork(mirrorApplies: boolean): { ledger: LedgerReader; store: ReconcileStore } {
    const released = escrowOf(
      escrowRecord('esc-1', { state: 'RELEASED', fundedAmount: '12345', sellerPayout: '12037', fee: '308' }),
    );
    const releasedHistory = [
      ...(history['esc-1'] ?? []),
      { txId: 't3', timestamp: '', isDelete: false, escrow: null },
    ];
    let committed = false;
    let rowReads = 0;
    const ledger: LedgerReader = {
      height: () => Promise.resolve(committed ? 11n : 10n),
      escrowOnLedger: () => {
        committed = true;
        return Promise.resolve(released);
      },
      ledgerHistory: () => Promise.resolve(releasedHistory),
      escrowIds: () => Promise.resolve(new Set(['esc-1'])),
    };
    const store: ReconcileStore = {
      checkpoint: () => Promise.resolve(committed && mirrorApplies ? 10n : 9n),
      escrows: () => {
        rowReads += 1;
        return Promise.resolve(
          rowReads > 1 && mirrorApplies
            ? [
                {
                  ...row,
                  state: 'RELEASED',
                  sellerPayout: '12037',
                  fee: '308',
                  lastTxId: 't3',
                  version: 3,
                  escrowTransitions: 3,
                },
              ]
            : [row],
        );
      },
      outboxMismatches: () => Promise.resolve([]),
      quarantined: () => Promise.resolve([]),
    };
    return { ledger, store };
  }

  it('compares once more an escrow a block changed during the check, once the mirror applied it', async () => {
    const { ledger, store } = movingNetwork(true);

    const report = await reconcile(ledger, store, { ...options, catchUpTimeoutMs: 1_000 });

    expect(report.drift).to.deep.equal([]);
    expect(report.ok).to.equal(true);
    expect(report.rechecked).to.equal(1);
    expect(reportText(report)).to.match(/1 compared again after the ledger moved/);
  });

  it('reports the drift of such an escrow when the mirror does not reach the new height', async () => {
    const { ledger, store } = movingNetwork(false);

    const report = await reconcile(ledger, store, options);

    expect(report.ok).to.equal(false);
    expect(report.drift.map((d) => `${d.escrowId} ${d.field}`)).to.include.members([
      'esc-1 state',
      'esc-1 lastTxId',
    ]);
  });
});
