// POST /v1/escrows/{escrowId}/payment: the buyer's marketplace (its backend, acting for its buyer) asks
// for the buyer's payment of an accepted escrow. The amount and currency come from the ledger's escrow,
// never from the caller; the provider's payment is opened once per escrow (its idempotency key), and
// the answer carries the client secret the buyer's client confirms the payment with. The escrow is
// funded later, by the marketplace's payments service, when the provider's verified event arrives.
import { amountDue, type Escrow } from '@p2p-escrow/chaincode';
import { PaymentError, type PaymentProvider } from '@p2p-escrow/payments';
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import type { Principal } from '../../auth/principal';
import { ApiError, ForbiddenError } from '../../errors/apiError';
import type { RouteContext } from '../routeContext';
import { callerAs, firstHeld, requireVisible } from './escrowAccess';

/** The provider's side of the route: opening a payment, nothing else (no endpoint secret). */
export type PaymentCollector = Pick<PaymentProvider, 'createPayment'>;

export class PaymentConflictError extends ApiError {
  constructor(
    code: 'ESCROW_NOT_ACCEPTED' | 'ESCROW_ALREADY_FUNDED' | 'ESCROW_NOT_FUNDABLE',
    message: string,
  ) {
    super(409, code, message);
  }
}

/** Only the buyer's own marketplace collects the buyer's money. */
function requireBuyersMarketplace(principal: Principal, escrow: Escrow): void {
  if (principal.marketplace !== escrow.buyer.marketplace)
    throw new ForbiddenError(
      'PAYMENT_NOT_BUYER_MARKETPLACE',
      `escrow ${escrow.escrowId}'s buyer pays through ${escrow.buyer.marketplace}`,
    );
}

function requireAwaitingPayment(escrow: Escrow): void {
  const id = escrow.escrowId;
  if (escrow.funding !== null)
    throw new PaymentConflictError('ESCROW_ALREADY_FUNDED', `escrow ${id} is already funded`);
  if (escrow.state === 'PROPOSED' || (escrow.state === 'CREATED' && escrow.acceptance === null))
    throw new PaymentConflictError(
      'ESCROW_NOT_ACCEPTED',
      `escrow ${id} awaits its counterparty's acceptance`,
    );
  if (escrow.state !== 'CREATED')
    throw new PaymentConflictError('ESCROW_NOT_FUNDABLE', `escrow ${id} is ${escrow.state}`);
}

/** The provider's refusal or absence as the gateway's problem: 502 refused, 503 unavailable. */
function providerProblem(error: PaymentError): ApiError {
  return new ApiError(error.retryable ? 503 : 502, error.code, error.message);
}

export function createPaymentRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    const caller = await callerAs(context.identities, principal, firstHeld(principal, ['marketplace']));
    const escrow = await context.ledger.readEscrow(caller, String(request.params['escrowId']));
    requireVisible(principal, escrow);
    requireBuyersMarketplace(principal, escrow);
    requireAwaitingPayment(escrow);
    let payment;
    try {
      payment = await context.payments.createPayment({
        escrowId: escrow.escrowId,
        // The goods and the buyer's agreed share of the fee, collected together.
        amountMinor: BigInt(amountDue(escrow)),
        currency: escrow.currency,
        marketplace: escrow.buyer.marketplace,
        buyer: escrow.buyer.userId,
      });
    } catch (error) {
      throw error instanceof PaymentError ? providerProblem(error) : error;
    }
    response.status(201).json({
      escrowId: escrow.escrowId,
      paymentId: payment.paymentId,
      clientSecret: payment.clientSecret,
      amount: amountDue(escrow),
      currency: escrow.currency,
    });
  };
}
