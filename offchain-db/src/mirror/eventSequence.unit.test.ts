import { expect } from 'chai';
import * as fc from 'fast-check';
import { sequenceTransitions } from './eventSequence';

const event = (escrowId: string, txIndex: number) => ({
  escrowId,
  txId: `tx-${txIndex}`,
  txIndex,
  eventIndex: 0,
});

describe('sequenceTransitions', () => {
  it('numbers each escrow from 1 in transaction order, whatever order the block lists them in', () => {
    const numbers = sequenceTransitions([event('b', 2), event('a', 1), event('a', 0)], new Map());

    expect(Object.fromEntries(numbers)).to.deep.equal({ 'tx-0:0': 1, 'tx-1:0': 2, 'tx-2:0': 1 });
  });

  it("continues from each escrow's last number before the block", () => {
    const numbers = sequenceTransitions([event('a', 0), event('b', 1)], new Map([['a', 7]]));

    expect(numbers.get('tx-0:0')).to.equal(8);
    expect(numbers.get('tx-1:0')).to.equal(1);
  });

  it('gives every event the same number however the ledger is cut into blocks (a rebuild renumbers nothing)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 40 }),
        (escrowOfEvent, blockSizes) => {
          const ledger = escrowOfEvent.map((escrowId, index) => ({
            escrowId,
            txId: `tx-${index}`,
            txIndex: index,
            eventIndex: 0,
          }));
          const whole = sequenceTransitions(ledger, new Map());
          const inBlocks = new Map<string, number>();
          const last = new Map<string, number>();
          for (let start = 0, block = 0; start < ledger.length; block += 1) {
            const size = blockSizes[block % blockSizes.length] ?? 1;
            const numbers = sequenceTransitions(ledger.slice(start, start + size), last);
            for (const [eventId, number] of numbers) inBlocks.set(eventId, number);
            for (const transition of ledger.slice(start, start + size))
              last.set(transition.escrowId, numbers.get(`${transition.txId}:0`) ?? 0);
            start += size;
          }
          expect(inBlocks).to.deep.equal(whole);
          for (const escrowId of new Set(escrowOfEvent)) {
            const numbers = ledger
              .filter((t) => t.escrowId === escrowId)
              .map((t) => whole.get(`${t.txId}:0`));
            expect(numbers).to.deep.equal(numbers.map((_, index) => index + 1));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
