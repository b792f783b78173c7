// The contract's submits as a client calls them: parameters as transient `arguments`, a fresh
// response key, the sealed answer opened. Unit tests keep writing contract.fundEscrow(ctx, id,
// amount, currency, ref) while every call goes through the real transient path.
import type { Context } from 'fabric-contract-api';
import { ARGUMENTS_TRANSIENT_KEY } from '../escrow/contractInfo';
import type { EscrowContract } from '../escrow/escrowContract';
import { TERMS_SALT_TRANSIENT_KEY } from '../escrow/termsRecord';
import { newResponseKey, openSealedResult, RESPONSE_KEY_TRANSIENT_KEY } from '../privateData/sealedResult';
import type { FakeTransaction } from './fakeLedger';

export const TEST_TERMS_SALT = 'a1'.repeat(16);

type Submit = (ctx: Context) => Promise<string>;

async function sealedCall(ctx: Context, args: object | string | undefined, call: Submit): Promise<string> {
  const responseKey = newResponseKey();
  const stub = ctx.stub as unknown as FakeTransaction;
  stub.addTransient({ [RESPONSE_KEY_TRANSIENT_KEY]: responseKey });
  if (args !== undefined)
    stub.addTransient({ [ARGUMENTS_TRANSIENT_KEY]: typeof args === 'string' ? args : JSON.stringify(args) });
  return openSealedResult(responseKey, await call(ctx));
}

export interface PositionalSubmits {
  createEscrow(ctx: Context, escrowId: string, request: string): Promise<string>;
  fundEscrow(
    ctx: Context,
    escrowId: string,
    amount: string,
    currency: string,
    providerRef: string,
  ): Promise<string>;
  shipEscrow(ctx: Context, escrowId: string, carrier: string, trackingRef: string): Promise<string>;
  disputeEscrow(ctx: Context, escrowId: string, reason: string, evidenceHashes: string): Promise<string>;
  resolveDispute(ctx: Context, escrowId: string, buyerRefund: string): Promise<string>;
  recordSettlement(ctx: Context, escrowId: string, payee: string, providerRef: string): Promise<string>;
  acceptEscrow(ctx: Context, escrowId: string): Promise<string>;
  declineEscrow(ctx: Context, escrowId: string): Promise<string>;
  proposeTerms(ctx: Context, escrowId: string, terms: string): Promise<string>;
  expireProposal(ctx: Context, escrowId: string): Promise<string>;
  confirmDelivery(ctx: Context, escrowId: string): Promise<string>;
  releaseEscrow(ctx: Context, escrowId: string): Promise<string>;
  cancelEscrow(ctx: Context, escrowId: string): Promise<string>;
  claimRefund(ctx: Context, escrowId: string): Promise<string>;
  extendShipBy(ctx: Context, escrowId: string, shipBy: string): Promise<string>;
  expireDelivery(ctx: Context, escrowId: string): Promise<string>;
  offerSettlement(ctx: Context, escrowId: string, buyerRefund: string, expiresAt?: string): Promise<string>;
  acceptSettlementOffer(ctx: Context, escrowId: string): Promise<string>;
  declineSettlementOffer(ctx: Context, escrowId: string): Promise<string>;
  erasePrivateDetails(ctx: Context, escrowId: string): Promise<string>;
  endSuspendedEscrow(ctx: Context, escrowId: string, buyerRefund?: string): Promise<string>;
  proposeStatement(ctx: Context, statementId: string): Promise<string>;
  settleStatement(ctx: Context, statementId: string, transferRef: string): Promise<string>;
}

/** The contract with its submits taking positional parameters, as the tests were written. */
export type TestContract = Omit<EscrowContract, keyof PositionalSubmits> & PositionalSubmits;

export function withPositionalSubmits(contract: EscrowContract): TestContract {
  const positional: PositionalSubmits = {
    createEscrow: (ctx, escrowId, request) => {
      (ctx.stub as unknown as FakeTransaction).addTransient({ [TERMS_SALT_TRANSIENT_KEY]: TEST_TERMS_SALT });
      return sealedCall(ctx, request, (c) => contract.createEscrow(c, escrowId));
    },
    fundEscrow: (ctx, escrowId, amount, currency, providerRef) =>
      sealedCall(ctx, { amount, currency, providerRef }, (c) => contract.fundEscrow(c, escrowId)),
    shipEscrow: (ctx, escrowId, carrier, trackingRef) =>
      sealedCall(ctx, { carrier, trackingRef }, (c) => contract.shipEscrow(c, escrowId)),
    disputeEscrow: (ctx, escrowId, reason, evidenceHashes) =>
      sealedCall(ctx, { reason, evidenceHashes: JSON.parse(evidenceHashes) as unknown }, (c) =>
        contract.disputeEscrow(c, escrowId),
      ),
    resolveDispute: (ctx, escrowId, buyerRefund) =>
      sealedCall(ctx, { buyerRefund }, (c) => contract.resolveDispute(c, escrowId)),
    proposeStatement: (ctx, statementId) =>
      sealedCall(ctx, undefined, (c) => contract.proposeStatement(c, statementId)),
    settleStatement: (ctx, statementId, transferRef) =>
      sealedCall(ctx, { transferRef }, (c) => contract.settleStatement(c, statementId)),
    recordSettlement: (ctx, escrowId, payee, providerRef) =>
      sealedCall(ctx, { payee, providerRef }, (c) => contract.recordSettlement(c, escrowId)),
    proposeTerms: (ctx, escrowId, terms) => sealedCall(ctx, terms, (c) => contract.proposeTerms(c, escrowId)),
    acceptEscrow: (ctx, id) => sealedCall(ctx, undefined, (c) => contract.acceptEscrow(c, id)),
    declineEscrow: (ctx, id) => sealedCall(ctx, undefined, (c) => contract.declineEscrow(c, id)),
    expireProposal: (ctx, id) => sealedCall(ctx, undefined, (c) => contract.expireProposal(c, id)),
    confirmDelivery: (ctx, id) => sealedCall(ctx, undefined, (c) => contract.confirmDelivery(c, id)),
    releaseEscrow: (ctx, id) => sealedCall(ctx, undefined, (c) => contract.releaseEscrow(c, id)),
    cancelEscrow: (ctx, id) => sealedCall(ctx, undefined, (c) => contract.cancelEscrow(c, id)),
    claimRefund: (ctx, id) => sealedCall(ctx, undefined, (c) => contract.claimRefund(c, id)),
    extendShipBy: (ctx, id, shipBy) => sealedCall(ctx, { shipBy }, (c) => contract.extendShipBy(c, id)),
    expireDelivery: (ctx, id) => sealedCall(ctx, undefined, (c) => contract.expireDelivery(c, id)),
    offerSettlement: (ctx, id, buyerRefund, expiresAt) =>
      sealedCall(ctx, expiresAt === undefined ? { buyerRefund } : { buyerRefund, expiresAt }, (c) =>
        contract.offerSettlement(c, id),
      ),
    acceptSettlementOffer: (ctx, id) =>
      sealedCall(ctx, undefined, (c) => contract.acceptSettlementOffer(c, id)),
    declineSettlementOffer: (ctx, id) =>
      sealedCall(ctx, undefined, (c) => contract.declineSettlementOffer(c, id)),
    erasePrivateDetails: (ctx, id) => sealedCall(ctx, undefined, (c) => contract.erasePrivateDetails(c, id)),
    endSuspendedEscrow: (ctx, id, buyerRefund) =>
      sealedCall(ctx, buyerRefund === undefined ? undefined : { buyerRefund }, (c) =>
        contract.endSuspendedEscrow(c, id),
      ),
  };
  return Object.assign(Object.create(contract) as EscrowContract, positional) as TestContract;
}
