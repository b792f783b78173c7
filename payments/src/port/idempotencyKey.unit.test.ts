import { expect } from 'chai';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
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

  it('give each item of an escrow its own key, and the escrow-level key unchanged without one', () => {
    const whole = { escrowId: 'esc-1', payee: 'alice', kind: 'refund' } as const;
    const keys = [idempotencyKeyOf(whole), ...[0, 1, 2].map((item) => idempotencyKeyOf({ ...whole, item }))];
    expect(new Set(keys).size).to.equal(4);
    expect(idempotencyKeyOf(whole)).to.equal(
      'p2p-escrow:refund:' +
        createHash('sha256')
          .update(JSON.stringify(['esc-1', 'alice', 'refund']))
          .digest('hex'),
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
