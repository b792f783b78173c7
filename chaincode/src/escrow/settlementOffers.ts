// Settlement offers: the parties' own negotiation of a dispute's split before the arbiter decides.
// One mechanism for a disputed escrow (stateMachine.ts) and a disputed item (itemLifecycle.ts): each
// keeps its offers, oldest first, on its own record, where the arbiter sees every one.
import {
  DeadlinePassedError,
  ForbiddenActorError,
  InvalidInputError,
  OfferLimitReachedError,
  OfferNotFoundError,
} from '../errors/escrowErrors';
import { requireInstant, toInstant } from '../validation/fields';
import {
  DEFAULT_OFFER_PERIOD_SECONDS,
  MAX_OFFER_PERIOD_SECONDS,
  MAX_SETTLEMENT_OFFERS,
} from './contractInfo';
import type { Escrow, OfferSide, SettlementOffer } from './escrow';
import { isBuyer, requireParty } from './guards';
import { type Step, passed, within } from './stepClock';

/** Offers are the buyer's and the seller's own: neither their marketplaces nor the arbiter make them. */
export function offerSideOf(escrow: Escrow, step: Step): OfferSide {
  requireParty(escrow, step.actor);
  return isBuyer(escrow, step.actor) ? 'buyer' : 'seller';
}

function openOffer(offers: readonly SettlementOffer[]): SettlementOffer | undefined {
  const last = offers.at(-1);
  return last?.status === 'open' ? last : undefined;
}

export interface OfferMade {
  readonly offers: readonly SettlementOffer[];
  readonly offer: SettlementOffer;
  /** What became of the open offer the new one replaced, if any. */
  readonly replaced: SettlementOffer['status'] | null;
}

/**
 * A new offer of `buyerRefund` (already checked against the disputed amount) by `side`, open until
 * `expiresAt` (default DEFAULT_OFFER_PERIOD_SECONDS, at most MAX_OFFER_PERIOD_SECONDS ahead). It
 * replaces an open one: the other side's is countered, one's own superseded, a lapsed one expired.
 */
export function makeOffer(
  escrowId: string,
  offers: readonly SettlementOffer[],
  side: OfferSide,
  buyerRefund: bigint,
  expiresAt: string | undefined,
  step: Step,
): OfferMade {
  const latest = step.now + MAX_OFFER_PERIOD_SECONDS * 1000;
  const expiresAtMs =
    expiresAt === undefined
      ? step.now + DEFAULT_OFFER_PERIOD_SECONDS * 1000
      : requireInstant(expiresAt, 'expiresAt');
  if (expiresAtMs <= step.now) throw new InvalidInputError('expiresAt must be in the future');
  if (expiresAtMs > latest)
    throw new InvalidInputError(`expiresAt must be within ${MAX_OFFER_PERIOD_SECONDS} seconds`);
  if (offers.length >= MAX_SETTLEMENT_OFFERS) throw new OfferLimitReachedError(escrowId);
  const previous = openOffer(offers);
  const earlier = offers.map((offer) => {
    if (offer !== previous) return offer;
    const lapsed = passed(step, Date.parse(offer.expiresAt));
    const status = lapsed ? 'expired' : offer.offeredBy === side ? 'superseded' : 'countered';
    return { ...offer, status, answeredAt: step.at } as const;
  });
  const offer: SettlementOffer = {
    offeredBy: side,
    actor: step.actor,
    buyerRefund: buyerRefund.toString(),
    offeredAt: step.at,
    expiresAt: toInstant(expiresAtMs),
    status: 'open',
    answeredAt: null,
  };
  const replaced = previous === undefined ? null : (earlier.at(-1)?.status ?? null);
  return { offers: [...earlier, offer], offer, replaced };
}

/** The other side's answer to the open offer, before it expires; the offeror may not answer its own. */
export function answerOffer(
  escrowId: string,
  offers: readonly SettlementOffer[],
  side: OfferSide,
  answer: 'accepted' | 'declined',
  step: Step,
): { readonly offers: readonly SettlementOffer[]; readonly offer: SettlementOffer } {
  const offer = openOffer(offers);
  if (offer === undefined) throw new OfferNotFoundError(escrowId);
  if (offer.offeredBy === side) throw new ForbiddenActorError(`the ${side} may not answer its own offer`);
  if (!within(step, Date.parse(offer.expiresAt))) throw new DeadlinePassedError('offer expiresAt', step.at);
  return { offers: [...offers.slice(0, -1), { ...offer, status: answer, answeredAt: step.at }], offer };
}
