// POST and GET /v1/parties/{partyId}/verification: a marketplace's backend opens an identity
// verification at the provider for one of its own parties (`<marketplace>:<userId>`), and reads the
// status its marketplace holds. The party's marketplace alone: another marketplace's backend is
// refused (403 PARTY_OF_ANOTHER_MARKETPLACE), as is every other role. The outcome arrives later, as
// the provider's signed event at the marketplace's payments service, which records and attests it.
import { EscrowError, parsePartyId, type PartyRef } from '@p2p-escrow/chaincode';
import {
  PaymentError,
  type IdentityVerificationProvider,
  type PartyVerification,
  type PendingPayout,
} from '@p2p-escrow/payments';
import type { Request, Response } from 'express';
import { principalOf, requireAnyRole } from '../../auth/authenticate';
import type { Principal } from '../../auth/principal';
import { ApiError, ForbiddenError, ValidationError } from '../../errors/apiError';
import type { RouteContext } from '../routeContext';

/** The marketplace's records of its parties' verifications and held payouts, and the provider. */
export interface VerificationDesk {
  /** The marketplace whose records these are (the gateway's own org). */
  readonly marketplace: string;
  readonly provider: Pick<IdentityVerificationProvider, 'startVerification'>;
  readonly records: {
    find(userId: string): Promise<PartyVerification | undefined>;
    start(userId: string, verificationId: string): Promise<PartyVerification>;
  };
  readonly pending: { find(escrowId: string): Promise<PendingPayout | undefined> };
}

function partyOf(request: Request): PartyRef {
  try {
    return parsePartyId(String(request.params['partyId']));
  } catch (error) {
    if (error instanceof EscrowError)
      throw new ValidationError('PARTY_ID_INVALID', 'partyId must be <marketplace>:<userId>');
    throw error;
  }
}

/** The caller's own marketplace's party, and a gateway that holds that marketplace's records. */
function ownParty(context: RouteContext, principal: Principal, party: PartyRef): VerificationDesk {
  requireAnyRole(principal, ['marketplace']);
  const desk = context.verifications;
  if (principal.marketplace !== party.marketplace || desk?.marketplace !== party.marketplace)
    throw new ForbiddenError(
      'PARTY_OF_ANOTHER_MARKETPLACE',
      `${party.marketplace}:${party.userId} is not a party of this caller's marketplace`,
    );
  return desk;
}

function view(party: PartyRef, held: PartyVerification | undefined): Record<string, unknown> {
  return {
    partyId: `${party.marketplace}:${party.userId}`,
    status: held?.status ?? 'unverified',
    verificationId: held?.verificationId ?? null,
    statusHash: held?.statusHash ?? null,
    attestedTransactionId: held?.attestedTxId ?? null,
    updatedAt: held?.updatedAt.toISOString() ?? null,
  };
}

export function startVerificationRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const party = partyOf(request);
    const desk = ownParty(context, principalOf(response), party);
    if ((await desk.records.find(party.userId))?.status === 'verified')
      throw new ApiError(409, 'PARTY_ALREADY_VERIFIED', `${party.marketplace}:${party.userId} is verified`);
    let started;
    try {
      started = await desk.provider.startVerification(party);
    } catch (error) {
      if (error instanceof PaymentError)
        throw new ApiError(error.retryable ? 503 : 502, error.code, error.message);
      throw error;
    }
    const held = await desk.records.start(party.userId, started.verificationId);
    response.status(201).json({ ...view(party, held), clientSecret: started.clientSecret, url: started.url });
  };
}

export function getVerificationRoute(context: RouteContext) {
  return async (request: Request, response: Response): Promise<void> => {
    const party = partyOf(request);
    const desk = ownParty(context, principalOf(response), party);
    response.json(view(party, await desk.records.find(party.userId)));
  };
}
