import { expect } from 'chai';
import fc from 'fast-check';
import { idempotencyKeyOf, type MoneyMovementKind } from './idempotencyKey';

const kinds: MoneyMovementKind[] = ['payment', 'refund', 'payout', 'statement-transfer'];
const movement = fc.record({
  escrowId: fc.string({ minLength: 1, maxLength: 300 }),
  payee: fc.string({ minLength: 1, maxLength: 300 }),
  kind: fc.constantFrom(...kinds),
});

describe('idempotency keys of provider calls', () => {
  it('are the same for the same (escrow, payee, kind): a restarted worker sends the same key', () => {
    fc.assert(
      fc.property(movement, (m) => {
        expect(idempotencyKeyOf({ ...m })).to.equal(idempotencyKeyOf(m));
      }),
    );
  });

  it('differ for different movements, even when the ids contain separators', () => {
    expect(idempotencyKeyOf({ escrowId: 'a:b', payee: 'c', kind: 'refund' })).not.to.equal(
      idempotencyKeyOf({ escrowId: 'a', payee: 'b:c', kind: 'refund' }),
    );
    fc.assert(
      fc.property(movement, movement, (a, b) => {
        fc.pre(a.escrowId !== b.escrowId || a.payee !== b.payee || a.kind !== b.kind);
        expect(idempotencyKeyOf(a)).not.to.equal(idempotencyKeyOf(b));
      }),
    );
  });

  it("stay within Stripe's 255 characters and name their kind", () => {
    fc.assert(
      fc.property(movement, (m) => {
        const key = idempotencyKeyOf(m);
        expect(key.length).to.be.at.most(255);
        expect(key.startsWith(`p2p-escrow:${m.kind}:`)).to.equal(true);
      }),
    );
  });
});
