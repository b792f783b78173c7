// Money conservation, checked before every write: what was funded (the amount and the buyer's
// agreed share of the fee) is exactly what is refunded,
// paid out and kept as fee; nothing is split before the escrow ends; settlements match the split;
// and no money moves on terms the counterparty has not accepted.
import { InvariantViolationError } from '../errors/escrowErrors';
import { type Escrow, type Payee, PAYEES, isTerminal } from './escrow';
import { buyerPartOf, feeOn, sum } from './money';

const MINOR_UNITS = /^(0|[1-9][0-9]{0,17})$/;

function units(escrow: Escrow, field: string, value: string): bigint {
  if (!MINOR_UNITS.test(value))
    throw new InvariantViolationError(escrow.escrowId, `${field} is not an amount`);
  return BigInt(value);
}

function check(escrow: Escrow, holds: boolean, detail: string): void {
  if (!holds) throw new InvariantViolationError(escrow.escrowId, detail);
}

export function checkInvariant(escrow: Escrow): void {
  const amount = units(escrow, 'amount', escrow.amount);
  const prices = escrow.items.map((item, index) => units(escrow, `items[${index}].price`, item.price));
  check(
    escrow,
    amount > 0n && sum(prices) === amount,
    'amount must be positive and equal the sum of item prices',
  );

  const buyerFee = units(escrow, 'buyerFee', escrow.buyerFee);
  check(
    escrow,
    buyerFee === buyerPartOf(feeOn(amount, escrow.feeBps), escrow.buyerFeeShareBps),
    'buyerFee must be the buyer’s share of the fee on the amount',
  );
  const funded = units(escrow, 'fundedAmount', escrow.fundedAmount);
  const wasFunded = escrow.funding !== null;
  check(
    escrow,
    funded === (wasFunded ? amount + buyerFee : 0n),
    'fundedAmount must be 0 before funding and amount + buyerFee after',
  );
  check(
    escrow,
    wasFunded || escrow.state === 'PROPOSED' || escrow.state === 'CREATED' || escrow.state === 'CANCELLED',
    'state requires funding',
  );
  checkConsent(escrow);

  const refund = units(escrow, 'buyerRefund', escrow.buyerRefund);
  const payout = units(escrow, 'sellerPayout', escrow.sellerPayout);
  const fee = units(escrow, 'fee', escrow.fee);
  if (isTerminal(escrow.state)) {
    check(
      escrow,
      refund + payout + fee === funded,
      'buyerRefund + sellerPayout + fee must equal fundedAmount',
    );
    check(escrow, fee <= feeOn(funded - refund, escrow.feeBps), 'fee exceeds the agreed rate');
  } else {
    check(escrow, refund === 0n && payout === 0n && fee === 0n, 'an open escrow must not be split');
  }

  const owed: Record<Payee, bigint> = { buyer: refund, seller: payout };
  for (const payee of PAYEES) {
    const settlement = escrow.settlements[payee];
    if (settlement === null) continue;
    check(escrow, isTerminal(escrow.state), 'settlement recorded on an open escrow');
    check(
      escrow,
      units(escrow, `settlements.${payee}`, settlement.amount) === owed[payee],
      `${payee} settlement mismatch`,
    );
  }
}

/**
 * A proposal has a deadline and no acceptance; an accepted escrow had a deadline to accept by; under
 * the consent rule (any record with acceptBy) funding needs an acceptance. Records written before
 * the rule hold neither field and are left as they were.
 */
function checkConsent(escrow: Escrow): void {
  const proposed = escrow.state === 'PROPOSED';
  check(escrow, !proposed || escrow.acceptBy !== null, 'a proposal must have an acceptBy deadline');
  check(escrow, !proposed || escrow.acceptance === null, 'a proposal must not be accepted');
  check(escrow, escrow.acceptance === null || escrow.acceptBy !== null, 'acceptance without acceptBy');
  check(
    escrow,
    escrow.acceptBy === null || escrow.funding === null || escrow.acceptance !== null,
    'funded without the counterparty’s acceptance',
  );
  check(escrow, escrow.termsChange === null || escrow.funding === null, 'funded with changed terms pending');
}
