// Money conservation, checked before every write: what was funded (the amount and the buyer's
// agreed share of the fee) is exactly what is refunded,
// paid out and kept as fee; nothing is split before the escrow ends; settlements match the split;
// and no money moves on terms the counterparty has not accepted.
import { InvariantViolationError } from '../errors/escrowErrors';
import { type Escrow, type Payee, PAYEES, isTerminal } from './escrow';
import { escrowStateOf, isTerminalItem, itemBuyerFees } from './itemLifecycle';
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
  checkItems(escrow);

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

/**
 * An escrow split into items: one lifecycle per item, only after funding; each item's part of the
 * buyer's fee as allocated (summing to buyerFee); each ended item split exactly into its price and
 * fee part, the fee within the rate on the seller's share of that item, open items unsplit; the
 * escrow's state the one its items make, and once all ended its split the sum of theirs.
 */
function checkItems(escrow: Escrow): void {
  const items = escrow.itemLifecycles;
  if (items === null) return;
  check(escrow, escrow.funding !== null, 'items move only once funded');
  check(escrow, items.length === escrow.items.length, 'one lifecycle per item');
  const fees = itemBuyerFees(escrow);
  items.forEach((item, index) => {
    const field = `itemLifecycles[${index}]`;
    const price = BigInt(escrow.items[index]?.price ?? '0');
    const buyerFee = units(escrow, `${field}.buyerFee`, item.buyerFee);
    check(escrow, buyerFee === fees[index], `${field}.buyerFee is not its part of buyerFee`);
    const refund = units(escrow, `${field}.buyerRefund`, item.buyerRefund);
    const payout = units(escrow, `${field}.sellerPayout`, item.sellerPayout);
    const fee = units(escrow, `${field}.fee`, item.fee);
    if (isTerminalItem(item.state)) {
      check(escrow, refund + payout + fee === price + buyerFee, `${field} split must equal its funding`);
      check(escrow, fee <= feeOn(price + buyerFee - refund, escrow.feeBps), `${field} fee exceeds the rate`);
    } else {
      check(escrow, refund === 0n && payout === 0n && fee === 0n, `${field} is open and must not be split`);
    }
    const owed: Record<Payee, bigint> = { buyer: refund, seller: payout };
    for (const payee of PAYEES) {
      const settlement = item.settlements[payee];
      if (settlement === null) continue;
      check(escrow, isTerminalItem(item.state), `${field}: settlement recorded on an open item`);
      check(
        escrow,
        escrow.settlements[payee] === null,
        `${field}: ${payee} settled for the item and the whole`,
      );
      check(
        escrow,
        units(escrow, `${field}.settlements.${payee}`, settlement.amount) === owed[payee],
        `${field}: ${payee} settlement mismatch`,
      );
    }
  });
  check(escrow, sum(fees) === BigInt(escrow.buyerFee), 'the items’ fee parts must sum to buyerFee');
  check(escrow, escrow.state === escrowStateOf(items), 'state must follow the items’ states');
  if (isTerminal(escrow.state)) {
    for (const total of ['buyerRefund', 'sellerPayout', 'fee'] as const) {
      const parts = sum(items.map((item) => BigInt(item[total])));
      check(escrow, parts === BigInt(escrow[total]), `${total} must be the sum of the items’`);
    }
  }
}
