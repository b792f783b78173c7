import { expect } from 'chai';
import type { RiskEvent } from '../engine/riskEvent';
import { factsOf } from './facts';
import { MemoryFacts, medianOf } from './memoryFacts';
import { metricValue } from './metricValues';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const MINUTE = 60_000;

function created(escrowId: string, at: number, amount = 1000, buyer = 'alice'): RiskEvent {
  return {
    eventId: `${escrowId}-tx:0`,
    eventType: 'EscrowCreated',
    escrowId,
    at,
    state: 'PROPOSED',
    currency: 'EUR',
    amount,
    buyerRefund: 0,
    sellerPayout: 0,
    buyer: { marketplace: 'MarketA', userId: buyer },
    seller: { marketplace: 'MarketB', userId: 'bea' },
  };
}

function resolved(escrowId: string, at: number, buyerRefund: number, sellerPayout: number): RiskEvent {
  return {
    ...created(escrowId, at),
    eventId: `${escrowId}-resolve:0`,
    eventType: 'Resolved',
    state: 'RESOLVED',
    buyerRefund,
    sellerPayout,
  };
}

function factsWith(events: readonly RiskEvent[]): MemoryFacts {
  const facts = new MemoryFacts();
  for (const each of events) facts.add(factsOf(each));
  return facts;
}

describe('risk aggregates', () => {
  it('counts a velocity over its window in ledger time, both ends included, the event itself too', async () => {
    const events = [0, 20, 40, 60, 61].map((minutes, index) =>
      created(`e${String(index)}`, T0 + minutes * MINUTE),
    );
    const facts = factsWith(events);
    const last = events[4]!;
    expect(await metricValue({ metric: 'escrowsCreatedByBuyer', window: '1h' }, last, facts)).to.equal(4);
    expect(await metricValue({ metric: 'escrowsCreatedByBuyer', window: '61m' }, last, facts)).to.equal(5);
    expect(await metricValue({ metric: 'escrowsCreatedByBuyer', window: undefined }, last, facts)).to.equal(
      5,
    );
    // Facts after the event (a later block) are not in its window.
    expect(await metricValue({ metric: 'escrowsCreatedByBuyer', window: '1h' }, events[1]!, facts)).to.equal(
      2,
    );
  });

  it('keeps parties apart and counts a marketplace as a whole', async () => {
    const events = [created('a1', T0), created('b1', T0, 1000, 'bob'), created('b2', T0, 1000, 'bob')];
    const facts = factsWith(events);
    expect(await metricValue({ metric: 'escrowsCreatedByBuyer', window: '1h' }, events[0]!, facts)).to.equal(
      1,
    );
    expect(
      await metricValue({ metric: 'escrowsCreatedInMarketplace', window: '1h' }, events[0]!, facts),
    ).to.equal(3);
  });

  it('counts one fact per event, however often it is added', async () => {
    const event = created('a1', T0);
    const facts = factsWith([event, event]);
    expect(await metricValue({ metric: 'escrowsCreatedByBuyer', window: '1h' }, event, facts)).to.equal(1);
  });

  it("compares an amount with the median of the party's other escrows, none without history", async () => {
    const history = [100, 200, 300, 400].map((amount, index) =>
      created(`h${String(index)}`, T0 + index, amount),
    );
    const big = created('big', T0 + 10, 5000);
    const facts = factsWith([...history, big]);
    expect(await metricValue({ metric: 'amountToBuyerMedian', window: undefined }, big, facts)).to.equal(
      5000 / 250,
    );
    expect(await metricValue({ metric: 'buyerPriorEscrows', window: undefined }, big, facts)).to.equal(4);
    const first = created('first', T0, 10, 'newcomer');
    expect(
      await metricValue({ metric: 'amountToBuyerMedian', window: undefined }, first, factsWith([first])),
    ).to.equal(undefined);
    expect(medianOf([3, 1, 2])).to.equal(2);
  });

  it("reads a seller's dispute-loss ratio from resolved disputes, none before any", async () => {
    const events = [resolved('d1', T0, 900, 100), resolved('d2', T0, 100, 900), resolved('d3', T0, 600, 400)];
    const facts = factsWith(events);
    const next = created('n', T0 + 1);
    expect(await metricValue({ metric: 'sellerDisputeLossRatio', window: undefined }, next, facts)).to.equal(
      2 / 3,
    );
    expect(await metricValue({ metric: 'sellerDisputesResolved', window: undefined }, next, facts)).to.equal(
      3,
    );
    expect(
      await metricValue({ metric: 'sellerDisputeLossRatio', window: undefined }, next, new MemoryFacts()),
    ).to.equal(undefined);
  });
});
