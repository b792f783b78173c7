// The escrow contract: a thin shell around the pure rules. Each submit transaction checks the
// clock, reads the actor from the client identity, loads the escrow, lets the state machine
// decide, and stores the result (invariant, indexes, endorsement policy, one event).
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { channelSettingsRecord, parseChannelSettings } from '../config/channelSettings';
import {
  type MarketplaceRegistry,
  type MarketplaceStatus,
  type RegistryChange,
  UNREGISTERED,
  foundingRegistry,
  parseMarketplaceSpec,
  parseMarketplaceSpecs,
  requireTradingMarketplace,
  suspendedMarketplaceOf,
  withMarketplace,
  withStatus,
} from '../config/marketplaceRegistry';
import {
  CollectionNotDefinedError,
  EscrowExistsError,
  InvalidInputError,
  InvalidStateError,
  MarketplaceExistsError,
  MarketplacesNotRegisteredError,
  PrivateDetailsNotFoundError,
} from '../errors/escrowErrors';
import { type Actor, actorFromIdentity } from '../identity/actor';
import { loadChannelSettings, storeChannelSettings } from '../ledger/channelSettingsStore';
import {
  governancePolicyBytes,
  loadMarketplaceRegistry,
  storeMarketplaceRegistry,
} from '../ledger/marketplaceRegistryStore';
import {
  INDEX_VALUE,
  KEY_TYPES,
  escrowKey,
  markerKey,
  partyIndexKey,
  reviewKey,
  termsReviewKey,
} from '../ledger/keys';
import {
  escrowHistory,
  escrowPolicyBytes,
  findPublicEscrow,
  listEscrows,
  listEscrowsOfParty,
  loadEscrow,
  loadTerms,
  parseBookmark,
  parsePageSize,
  parseState,
  recordVersion,
  scanValues,
  storeEscrow,
  termsCollectionOf,
} from '../ledger/escrowStore';
import { encodePolicy, privateDetailsPolicy } from '../ledger/endorsementPolicy';
import { toStateBytes, toStateJson } from '../ledger/stateSerializer';
import { collectionFor, PRIVATE_DETAILS_TRANSIENT_KEY, termsCollectionFor } from '../privateData/collections';
import {
  declaredPrivateDetailsHash,
  type PrivateDetails,
  parsePrivateDetailsTransient,
  privateDetailsBytes,
  privateDetailsFromBytes,
  privateDetailsHash,
} from '../privateData/privateDetails';
import {
  optionalResponseKey,
  requireResponseKey,
  sealResult,
  sealSubmitResult,
} from '../privateData/sealedResult';
import {
  postReview,
  publicReviewOf,
  ratingOf,
  reputationOf,
  type Review,
  reviewRef,
  reviewSubject,
} from '../reviews/review';
import {
  RETURN_ADDRESS_TRANSIENT_KEY,
  parseReturnAddressTransient,
  returnAddressBytes,
  returnAddressFromBytes,
  returnAddressHash,
  returnAddressKey,
} from '../privateData/returnAddress';
import { assertWithinClockSkew, maxClockSkewSeconds } from '../time/clockSkew';
import {
  type JsonObject,
  LIMITS,
  parseJsonObject,
  requireId,
  requireMarketplace,
  requireText,
  toInstant,
} from '../validation/fields';
import { ARGUMENTS_TRANSIENT_KEY, CONTRACT_NAME } from './contractInfo';
import type { Escrow, Party } from './escrow';
import { escrowEvent } from './events';
import { publicEscrowOf } from './publicEscrow';
import { parseTermsSalt, type Terms, TERMS_SALT_TRANSIENT_KEY, termsHash } from './termsRecord';
import {
  isBuyer,
  requireEscrowReader,
  requireFundingKey,
  requireMarketplaceReader,
  requireOversightAdmin,
  requireOrgAdmin,
  requireOversightReader,
  requirePartyOperator,
  requirePrivateDetailsReader,
  requireSeller,
} from './guards';
import { type Command, applyCommand } from './stateMachine';
import { proposeTerms } from './termsChange';
import { storeObligation } from '../ledger/statementStore';
import {
  proposeStatementTransaction,
  readObligationTransaction,
  readStatementTransaction,
  sellerPayoutRoute,
  settleStatementTransaction,
} from '../statements/statementTransactions';
import {
  attestVerificationTransaction,
  readVerificationAttestationTransaction,
} from '../verification/verificationTransactions';

interface SubmitContext {
  readonly actor: Actor;
  readonly registry: MarketplaceRegistry | undefined;
  readonly nowMs: number;
  readonly endorserNowMs: number;
}

interface Caller {
  readonly actor: Actor;
  readonly registry: MarketplaceRegistry | undefined;
}

/** The caller, resolved against the marketplace registry as the ledger holds it now. */
async function callerOf(ctx: Context): Promise<Caller> {
  const registry = await loadMarketplaceRegistry(ctx.stub);
  return { actor: actorFromIdentity(ctx.clientIdentity, registry), registry };
}

async function actorOf(ctx: Context): Promise<Actor> {
  return (await callerOf(ctx)).actor;
}

function txTimeMs(ctx: Context): number {
  return ctx.stub.getDateTimestamp().getTime();
}

/** Every submit starts here: the proposal's timestamp must be close to this endorser's clock. */
async function beginSubmit(ctx: Context): Promise<SubmitContext> {
  const nowMs = txTimeMs(ctx);
  const endorserNowMs = Date.now();
  assertWithinClockSkew(nowMs, endorserNowMs, maxClockSkewSeconds());
  return { ...(await callerOf(ctx)), nowMs, endorserNowMs };
}

/**
 * A transaction's parameters, from its transient `arguments`: they name users, items and amounts,
 * and a proposal's arguments are written into the block every channel member receives, transient
 * data never. Its arguments name the escrow only.
 */
function transientArguments(ctx: Context): JsonObject {
  const bytes = ctx.stub.getTransient().get(ARGUMENTS_TRANSIENT_KEY);
  if (bytes === undefined) throw new InvalidInputError(`transient ${ARGUMENTS_TRANSIENT_KEY} is required`);
  return parseJsonObject(Buffer.from(bytes).toString('utf8'), ARGUMENTS_TRANSIENT_KEY, LIMITS.requestBytes);
}

/** The transient `arguments` when the transaction's parameters are all optional. */
function optionalTransientArguments(ctx: Context): JsonObject | undefined {
  return ctx.stub.getTransient().has(ARGUMENTS_TRANSIENT_KEY) ? transientArguments(ctx) : undefined;
}

function textArgument(args: JsonObject, name: string): string {
  const value = args[name];
  if (typeof value !== 'string')
    throw new InvalidInputError(`${ARGUMENTS_TRANSIENT_KEY}.${name} must be a string`);
  return value;
}

/** A settlement offer's terms: its `buyerRefund`, and its `expiresAt` when the offeror names one. */
function offerArguments(args: JsonObject): { buyerRefund: string; expiresAt?: string } {
  const buyerRefund = textArgument(args, 'buyerRefund');
  return args.expiresAt === undefined
    ? { buyerRefund }
    : { buyerRefund, expiresAt: textArgument(args, 'expiresAt') };
}

/** postReview's answer: the full review sealed under the caller's response key, else the public review. */
function reviewResult(ctx: Context, review: Review, ref: string): string {
  const responseKey = optionalResponseKey(ctx.stub.getTransient());
  if (responseKey !== undefined)
    return sealSubmitResult(responseKey, ctx.stub.getTxID(), toStateJson(review));
  return toStateJson(publicReviewOf(review, ref));
}

/** What a submit answers: the full record sealed under the caller's response key, else the public record. */
function submitResult(ctx: Context, terms: Terms): string {
  const responseKey = optionalResponseKey(ctx.stub.getTransient());
  if (responseKey !== undefined)
    return sealSubmitResult(responseKey, ctx.stub.getTxID(), toStateJson(terms.escrow));
  return toStateJson(publicEscrowOf(terms.escrow, termsCollectionOf(terms.escrow), termsHash(terms)));
}

async function transition(ctx: Context, escrowId: string, command: Command): Promise<Terms> {
  const { actor, registry, nowMs, endorserNowMs } = await beginSubmit(ctx);
  const before = await loadTerms(ctx.stub, requireId(escrowId, 'escrowId'), actor);
  // Consent binds both sides to a trade a suspended marketplace could not carry out.
  if (command.type === 'accept') {
    requireTradingMarketplace(registry, before.escrow.buyer.marketplace, 'buyer.marketplace');
    requireTradingMarketplace(registry, before.escrow.seller.marketplace, 'seller.marketplace');
  }
  const { escrow, event } = applyCommand(before.escrow, command, actor, nowMs, endorserNowMs);
  await storeEscrow(ctx.stub, before.escrow, escrow, event, before.salt);
  return { escrow, salt: before.salt };
}

/** proposeTerms: the changed terms are the transient `arguments`, bounded by the channel's settings. */
async function changeTerms(ctx: Context, escrowId: string): Promise<Terms> {
  const { actor, registry, nowMs, endorserNowMs } = await beginSubmit(ctx);
  const request = transientArguments(ctx);
  const before = await loadTerms(ctx.stub, requireId(escrowId, 'escrowId'), actor);
  requireTradingMarketplace(registry, before.escrow.buyer.marketplace, 'buyer.marketplace');
  requireTradingMarketplace(registry, before.escrow.seller.marketplace, 'seller.marketplace');
  const settings = await loadChannelSettings(ctx.stub);
  const clock = { now: nowMs, endorserNow: endorserNowMs };
  const { escrow, event } = proposeTerms(before.escrow, request, settings, actor, clock);
  await storeEscrow(ctx.stub, before.escrow, escrow, event, before.salt);
  return { escrow, salt: before.salt };
}

async function execute(ctx: Context, escrowId: string, command: Command): Promise<string> {
  return submitResult(ctx, await transition(ctx, escrowId, command));
}

function transientPrivateDetails(ctx: Context, escrowId: string): PrivateDetails | null {
  const bytes = ctx.stub.getTransient().get(PRIVATE_DETAILS_TRANSIENT_KEY);
  return bytes === undefined ? null : parsePrivateDetailsTransient(bytes, escrowId);
}

async function create(ctx: Context, escrowId: string): Promise<string> {
  const { actor, registry, nowMs, endorserNowMs } = await beginSubmit(ctx);
  const id = requireId(escrowId, 'escrowId');
  const transient = ctx.stub.getTransient();
  // A create is endorsed by orgs outside the escrow's personal-data collection (Oversight, for a
  // same-marketplace trade): personal data must never ride on it, only its salted hash in the request.
  if (transient.has(PRIVATE_DETAILS_TRANSIENT_KEY))
    throw new InvalidInputError('privateDetails travel only in putPrivateDetails, after the create');
  const request = transientArguments(ctx);
  const salt = parseTermsSalt(transient.get(TERMS_SALT_TRANSIENT_KEY));
  if ((await findPublicEscrow(ctx.stub, id)) !== undefined) throw new EscrowExistsError(id);
  const command: Command = {
    type: 'create',
    escrowId: id,
    request,
    privateDetailsHash: declaredPrivateDetailsHash(request),
    settings: await loadChannelSettings(ctx.stub),
    marketplaces: registry,
  };
  const { escrow, event } = applyCommand(undefined, command, actor, nowMs, endorserNowMs);
  await requireCollectionsDefined(ctx, escrow);
  await storeEscrow(ctx.stub, undefined, escrow, event, salt);
  return submitResult(ctx, { escrow, salt });
}

/**
 * The chaincode definition carries collections for the marketplaces its operators approved: a
 * marketplace registered before its collections were approved cannot trade yet. Reading a hash
 * works for members and non-members alike and fails only for a collection the definition lacks.
 */
async function requireCollectionsDefined(ctx: Context, escrow: Escrow): Promise<void> {
  const { buyer, seller } = escrow;
  for (const collection of [
    termsCollectionFor(buyer.marketplace, seller.marketplace),
    collectionFor(buyer.marketplace, seller.marketplace),
  ]) {
    try {
      await ctx.stub.getPrivateDataHash(collection, escrowKey(ctx.stub, escrow.escrowId));
    } catch {
      throw new CollectionNotDefinedError(collection);
    }
  }
}

/**
 * Whether the return address the item declared is in the parties' collection: its hash on the
 * ledger is readable by members and non-members alike, so every endorser answers the same. Nothing
 * declared yet (or no such item) reads nothing; the state machine refuses what it must.
 */
async function returnAddressStored(ctx: Context, escrow: Escrow, item: unknown): Promise<boolean> {
  const index = typeof item === 'number' ? item : Number(typeof item === 'string' ? item : NaN);
  const declared = Number.isInteger(index) ? escrow.itemLifecycles?.[index]?.returnAddress : undefined;
  if (declared === undefined || declared === null) return false;
  const collection = collectionFor(escrow.buyer.marketplace, escrow.seller.marketplace);
  const hash = await ctx.stub.getPrivateDataHash(
    collection,
    returnAddressKey(ctx.stub, escrow.escrowId, index),
  );
  return hash.length > 0;
}

/** The caller of a governance write: an admin of a member org (majority endorsement does the rest). */
async function beginGovernance(ctx: Context): Promise<SubmitContext & { readonly change: RegistryChange }> {
  const submit = await beginSubmit(ctx);
  requireOrgAdmin(submit.actor);
  return { ...submit, change: changeBy(submit.actor, submit.nowMs) };
}

function changeBy(actor: Actor, nowMs: number): RegistryChange {
  return { at: toInstant(nowMs), by: `${actor.userId}@${actor.organization}` };
}

async function requireRegistry(ctx: Context): Promise<MarketplaceRegistry> {
  const registry = await loadMarketplaceRegistry(ctx.stub);
  if (registry === undefined)
    throw new MarketplacesNotRegisteredError('register the founding marketplaces first');
  return registry;
}

/** suspendMarketplace and reinstateMarketplace: an org admin's status change, stored and answered. */
async function setMarketplaceStatus(ctx: Context, name: string, status: MarketplaceStatus): Promise<string> {
  const { change } = await beginGovernance(ctx);
  const registry = withStatus(await requireRegistry(ctx), requireMarketplace(name, 'name'), status, change);
  await storeMarketplaceRegistry(ctx.stub, registry);
  return toStateJson(registry);
}

/** A peer outside the collection (or a purged key) cannot return the data: same stable code. */
async function readCollection(ctx: Context, collection: string, escrowId: string): Promise<Uint8Array> {
  try {
    return await ctx.stub.getPrivateData(collection, escrowKey(ctx.stub, escrowId));
  } catch {
    throw new PrivateDetailsNotFoundError(escrowId);
  }
}

@Info({ title: 'EscrowContract', description: 'Escrow of peer-to-peer marketplace trades' })
export class EscrowContract extends Contract {
  constructor() {
    super(CONTRACT_NAME);
  }

  /** Cheapest read: proves the chaincode answers. */
  @Transaction(false)
  @Returns('string')
  public async ping(ctx: Context): Promise<string> {
    return Promise.resolve(
      toStateJson({ contract: CONTRACT_NAME, status: 'ok', txTime: toInstant(txTimeMs(ctx)) }),
    );
  }

  /** Cheapest write: one put of a marker key, for benchmarks and connectivity checks. */
  @Transaction()
  @Returns('string')
  public async putMarker(ctx: Context, name: string, value: string): Promise<string> {
    const nowMs = txTimeMs(ctx);
    assertWithinClockSkew(nowMs, Date.now(), maxClockSkewSeconds());
    const marker = {
      name: requireId(name, 'name'),
      value: requireText(value, 'value'),
      txTime: toInstant(nowMs),
    };
    await ctx.stub.putState(markerKey(ctx.stub, marker.name), toStateBytes(marker));
    return toStateJson(marker);
  }

  /** The request (parties, items, amounts, deadlines) is the transient `arguments`, with a `termsSalt`. */
  @Transaction()
  @Returns('string')
  public async createEscrow(ctx: Context, escrowId: string): Promise<string> {
    return create(ctx, escrowId);
  }

  /** The counterparty (or its marketplace acting for it) agrees to the proposed terms. */
  @Transaction()
  @Returns('string')
  public async acceptEscrow(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'accept' });
  }

  @Transaction()
  @Returns('string')
  public async declineEscrow(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'decline' });
  }

  /**
   * Before funding, the buyer or the seller (or across marketplaces its marketplace) proposes changed
   * terms (transient `arguments`); the other side answers with acceptEscrow or declineEscrow.
   */
  @Transaction()
  @Returns('string')
  public async proposeTerms(ctx: Context, escrowId: string): Promise<string> {
    return submitResult(ctx, await changeTerms(ctx, escrowId));
  }

  /** Ends a proposal left unaccepted past its acceptBy; anyone may (the keeper does). */
  @Transaction()
  @Returns('string')
  public async expireProposal(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'expireProposal' });
  }

  @Transaction()
  @Returns('string')
  public async fundEscrow(ctx: Context, escrowId: string): Promise<string> {
    requireFundingKey(ctx.clientIdentity, await actorOf(ctx));
    const args = transientArguments(ctx);
    return execute(ctx, escrowId, {
      type: 'fund',
      amount: textArgument(args, 'amount'),
      currency: textArgument(args, 'currency'),
      providerRef: textArgument(args, 'providerRef'),
    });
  }

  @Transaction()
  @Returns('string')
  public async shipEscrow(ctx: Context, escrowId: string): Promise<string> {
    const args = transientArguments(ctx);
    return execute(ctx, escrowId, {
      type: 'ship',
      carrier: textArgument(args, 'carrier'),
      trackingRef: textArgument(args, 'trackingRef'),
    });
  }

  @Transaction()
  @Returns('string')
  public async confirmDelivery(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'confirmDelivery' });
  }

  @Transaction()
  @Returns('string')
  public async releaseEscrow(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'release' });
  }

  @Transaction()
  @Returns('string')
  public async disputeEscrow(ctx: Context, escrowId: string): Promise<string> {
    const args = transientArguments(ctx);
    return execute(ctx, escrowId, {
      type: 'dispute',
      reason: textArgument(args, 'reason'),
      evidenceHashes: args.evidenceHashes,
    });
  }

  @Transaction()
  @Returns('string')
  public async resolveDispute(ctx: Context, escrowId: string): Promise<string> {
    const args = transientArguments(ctx);
    return execute(ctx, escrowId, { type: 'resolve', buyerRefund: textArgument(args, 'buyerRefund') });
  }

  /** The buyer moves ship-by later (transient `arguments.shipBy`), while it is still open. */
  @Transaction()
  @Returns('string')
  public async extendShipBy(ctx: Context, escrowId: string): Promise<string> {
    const shipBy = textArgument(transientArguments(ctx), 'shipBy');
    return execute(ctx, escrowId, { type: 'extendShipBy', shipBy });
  }

  /** Applies the channel's rule to a shipment past its delivery deadline; anyone may (the keeper does). */
  @Transaction()
  @Returns('string')
  public async expireDelivery(ctx: Context, escrowId: string): Promise<string> {
    const { missedDeliveryOutcome } = await loadChannelSettings(ctx.stub);
    return execute(ctx, escrowId, { type: 'expireDelivery', outcome: missedDeliveryOutcome });
  }

  /**
   * The buyer or the seller of a disputed escrow offers a split (transient `arguments.buyerRefund`,
   * optional `expiresAt`); it replaces any open offer.
   */
  @Transaction()
  @Returns('string')
  public async offerSettlement(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'offerSettlement', ...offerArguments(transientArguments(ctx)) });
  }

  /** The other side takes the open offer: the escrow resolves at its split, with no arbiter. */
  @Transaction()
  @Returns('string')
  public async acceptSettlementOffer(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'acceptOffer' });
  }

  @Transaction()
  @Returns('string')
  public async declineSettlementOffer(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'declineOffer' });
  }

  // ---- items and milestones (itemLifecycle.ts): transient `arguments.item` names the item ----

  @Transaction()
  @Returns('string')
  public async shipItem(ctx: Context, escrowId: string): Promise<string> {
    const args = transientArguments(ctx);
    const shipment = {
      carrier: textArgument(args, 'carrier'),
      trackingRef: textArgument(args, 'trackingRef'),
    };
    return execute(ctx, escrowId, { type: 'shipItem', item: args.item, ...shipment });
  }

  @Transaction()
  @Returns('string')
  public async confirmItemDelivery(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'confirmItemDelivery', item: transientArguments(ctx).item });
  }

  /** The buyer accepts the item; anyone (the keeper) once its inspection window is over. */
  @Transaction()
  @Returns('string')
  public async releaseItem(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'releaseItem', item: transientArguments(ctx).item });
  }

  @Transaction()
  @Returns('string')
  public async disputeItem(ctx: Context, escrowId: string): Promise<string> {
    const args = transientArguments(ctx);
    const reason = textArgument(args, 'reason');
    return execute(ctx, escrowId, {
      type: 'disputeItem',
      item: args.item,
      reason,
      evidenceHashes: args.evidenceHashes,
    });
  }

  /** An arbiter splits a disputed item's price (transient `arguments.buyerRefund`). */
  @Transaction()
  @Returns('string')
  public async resolveItem(ctx: Context, escrowId: string): Promise<string> {
    const args = transientArguments(ctx);
    return execute(ctx, escrowId, {
      type: 'resolveItem',
      item: args.item,
      buyerRefund: textArgument(args, 'buyerRefund'),
    });
  }

  @Transaction()
  @Returns('string')
  public async rejectItem(ctx: Context, escrowId: string): Promise<string> {
    const args = transientArguments(ctx);
    return execute(ctx, escrowId, {
      type: 'rejectItem',
      item: args.item,
      reason: textArgument(args, 'reason'),
    });
  }

  /** The seller declares its return address's salted hash; putReturnAddress then stores the address. */
  @Transaction()
  @Returns('string')
  public async provideReturnAddress(ctx: Context, escrowId: string): Promise<string> {
    const { actor, nowMs, endorserNowMs } = await beginSubmit(ctx);
    const args = transientArguments(ctx);
    const addressHash = textArgument(args, 'addressHash');
    const before = await loadTerms(ctx.stub, requireId(escrowId, 'escrowId'), actor);
    const addressStored = await returnAddressStored(ctx, before.escrow, args.item);
    const command: Command = { type: 'provideReturnAddress', item: args.item, addressHash, addressStored };
    const { escrow, event } = applyCommand(before.escrow, command, actor, nowMs, endorserNowMs);
    await storeEscrow(ctx.stub, before.escrow, escrow, event, before.salt);
    return submitResult(ctx, { escrow, salt: before.salt });
  }

  /** Applies the channel's rule to a shipped item past its delivery deadline; anyone may (the keeper does). */
  @Transaction()
  @Returns('string')
  public async expireItemDelivery(ctx: Context, escrowId: string): Promise<string> {
    const { missedDeliveryOutcome } = await loadChannelSettings(ctx.stub);
    const item = transientArguments(ctx).item;
    return execute(ctx, escrowId, { type: 'expireItemDelivery', item, outcome: missedDeliveryOutcome });
  }

  @Transaction()
  @Returns('string')
  public async shipReturn(ctx: Context, escrowId: string): Promise<string> {
    const args = transientArguments(ctx);
    const shipment = {
      carrier: textArgument(args, 'carrier'),
      trackingRef: textArgument(args, 'trackingRef'),
    };
    return execute(ctx, escrowId, { type: 'shipReturn', item: args.item, ...shipment });
  }

  /** The seller received the return: the item is refunded. */
  @Transaction()
  @Returns('string')
  public async confirmReturn(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'confirmReturn', item: transientArguments(ctx).item });
  }

  /** Applies a passed return deadline; anyone may (the keeper does). */
  @Transaction()
  @Returns('string')
  public async expireReturn(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'expireReturn', item: transientArguments(ctx).item });
  }

  @Transaction()
  @Returns('string')
  public async disputeReturn(ctx: Context, escrowId: string): Promise<string> {
    const args = transientArguments(ctx);
    const reason = textArgument(args, 'reason');
    return execute(ctx, escrowId, {
      type: 'disputeReturn',
      item: args.item,
      reason,
      evidenceHashes: args.evidenceHashes,
    });
  }

  /**
   * The buyer or the seller of a disputed item offers a split of its price (transient
   * `arguments.item`, `buyerRefund`, optional `expiresAt`); it replaces the item's open offer.
   */
  @Transaction()
  @Returns('string')
  public async offerItemSettlement(ctx: Context, escrowId: string): Promise<string> {
    const args = transientArguments(ctx);
    return execute(ctx, escrowId, { type: 'offerItemSettlement', item: args.item, ...offerArguments(args) });
  }

  /** The other party takes the item's open offer: the item resolves at its split, with no arbiter. */
  @Transaction()
  @Returns('string')
  public async acceptItemOffer(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'acceptItemOffer', item: transientArguments(ctx).item });
  }

  @Transaction()
  @Returns('string')
  public async declineItemOffer(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'declineItemOffer', item: transientArguments(ctx).item });
  }

  /**
   * Stores the return address whose hash the seller declared (transient `returnAddress`: escrowId,
   * item, salt, address) in the parties' personal-data collection, endorsed by its members alone.
   */
  @Transaction()
  @Returns('string')
  public async putReturnAddress(ctx: Context, escrowId: string): Promise<string> {
    const { actor } = await beginSubmit(ctx);
    const escrow = await loadEscrow(ctx.stub, requireId(escrowId, 'escrowId'), actor);
    requireSeller(escrow, actor);
    const bytes = ctx.stub.getTransient().get(RETURN_ADDRESS_TRANSIENT_KEY);
    if (bytes === undefined)
      throw new InvalidInputError(`transient ${RETURN_ADDRESS_TRANSIENT_KEY} is required`);
    const details = parseReturnAddressTransient(bytes);
    const declared = escrow.itemLifecycles?.[details.item]?.returnAddress;
    if (details.escrowId !== escrow.escrowId || declared === undefined || declared === null)
      throw new PrivateDetailsNotFoundError(escrow.escrowId);
    if (returnAddressHash(details) !== declared.hash)
      throw new InvalidInputError('returnAddress does not match the hash the seller declared');
    const collection = collectionFor(escrow.buyer.marketplace, escrow.seller.marketplace);
    const key = returnAddressKey(ctx.stub, escrow.escrowId, details.item);
    await ctx.stub.putPrivateData(collection, key, returnAddressBytes(details));
    const policy = privateDetailsPolicy(escrow.buyer.marketplace, escrow.seller.marketplace);
    await ctx.stub.setPrivateDataValidationParameter(collection, key, encodePolicy(policy));
    return toStateJson({ escrowId: escrow.escrowId, item: details.item, collection, hash: declared.hash });
  }

  /** Evaluate only, for the parties and their marketplaces: sealed under the transient response key. */
  @Transaction(false)
  @Returns('string')
  public async readReturnAddress(ctx: Context, escrowId: string, item: string): Promise<string> {
    const responseKey = requireResponseKey(ctx.stub.getTransient());
    const actor = await actorOf(ctx);
    const escrow = await loadEscrow(ctx.stub, requireId(escrowId, 'escrowId'), actor);
    requirePrivateDetailsReader(escrow, actor);
    const declared = escrow.itemLifecycles?.[Number(item)]?.returnAddress;
    if (!/^[0-9]{1,4}$/.test(item) || declared === undefined || declared === null)
      throw new PrivateDetailsNotFoundError(escrow.escrowId);
    const collection = collectionFor(escrow.buyer.marketplace, escrow.seller.marketplace);
    let bytes: Uint8Array;
    try {
      bytes = await ctx.stub.getPrivateData(
        collection,
        returnAddressKey(ctx.stub, escrow.escrowId, Number(item)),
      );
    } catch {
      throw new PrivateDetailsNotFoundError(escrow.escrowId);
    }
    if (bytes.length === 0) throw new PrivateDetailsNotFoundError(escrow.escrowId);
    const details = returnAddressFromBytes(bytes);
    return sealResult(
      responseKey,
      toStateJson({
        ...details,
        hash: declared.hash,
        hashMatches: returnAddressHash(details) === declared.hash,
      }),
    );
  }

  /**
   * Oversight's risk service flags the escrow (flagJson: rule, reasonCode, severity, action); a
   * `hold` stops the releases to the seller and the payout until it is cleared (riskFlags.ts). The
   * flag's fields are rule names and codes, never personal data, so they travel as arguments.
   */
  @Transaction()
  @Returns('string')
  public async raiseRiskFlag(ctx: Context, escrowId: string, flagJson: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'raiseRiskFlag', flag: flagJson });
  }

  /** The risk service or an arbiter clears the active flag of `rule`, with a reason. */
  @Transaction()
  @Returns('string')
  public async clearRiskFlag(ctx: Context, escrowId: string, rule: string, reason: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'clearRiskFlag', rule, reason });
  }

  @Transaction()
  @Returns('string')
  public async cancelEscrow(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'cancel' });
  }

  @Transaction()
  @Returns('string')
  public async claimRefund(ctx: Context, escrowId: string): Promise<string> {
    return execute(ctx, escrowId, { type: 'claimRefund' });
  }

  /**
   * A payout or refund the provider made; a netted seller's payout is its own marketplace's to record.
   * With `item`, one ended item's own (itemLifecycle.ts recordItemSettlement).
   */
  @Transaction()
  @Returns('string')
  public async recordSettlement(ctx: Context, escrowId: string): Promise<string> {
    const args = transientArguments(ctx);
    const payee = textArgument(args, 'payee');
    const { actor, nowMs, endorserNowMs } = await beginSubmit(ctx);
    const before = await loadTerms(ctx.stub, requireId(escrowId, 'escrowId'), actor);
    const route = await sellerPayoutRoute(ctx.stub, before.escrow, payee, actor);
    const command: Command = {
      type: 'recordSettlement',
      payee,
      providerRef: textArgument(args, 'providerRef'),
      paidBy: route.paidBy,
      // An ended item's own refund or payout (transient `arguments.item`) on an escrow moving per item.
      ...(args.item === undefined ? {} : { item: args.item }),
    };
    const { escrow, event } = applyCommand(before.escrow, command, actor, nowMs, endorserNowMs);
    await storeEscrow(ctx.stub, before.escrow, escrow, event, before.salt);
    if (route.paidDirectly !== undefined) await storeObligation(ctx.stub, route.paidDirectly);
    return submitResult(ctx, { escrow, salt: before.salt });
  }

  /**
   * Nets the pair's open obligations of a settlement period into one statement (id
   * `<period>:<first>:<second>`), endorsed by both marketplaces; answered with its public status, or
   * sealed under a transient response key.
   */
  @Transaction()
  @Returns('string')
  public async proposeStatement(ctx: Context, statementId: string): Promise<string> {
    return proposeStatementTransaction(ctx.stub, await beginSubmit(ctx), statementId);
  }

  /** The payer's payments identity records the one transfer (transient `arguments.transferRef`). */
  @Transaction()
  @Returns('string')
  public async settleStatement(ctx: Context, statementId: string): Promise<string> {
    const transferRef = textArgument(transientArguments(ctx), 'transferRef');
    return settleStatementTransaction(ctx.stub, await beginSubmit(ctx), statementId, transferRef);
  }

  /** The full statement, for the pair's operators and Oversight's auditors. */
  @Transaction(false)
  @Returns('string')
  public async readStatement(ctx: Context, statementId: string): Promise<string> {
    return readStatementTransaction(ctx.stub, await actorOf(ctx), statementId);
  }

  /** An escrow's obligation between marketplaces, for the same readers as its statement. */
  @Transaction(false)
  @Returns('string')
  public async readObligation(ctx: Context, escrowId: string): Promise<string> {
    return readObligationTransaction(ctx.stub, await actorOf(ctx), escrowId);
  }

  /**
   * A payments identity of the party's own marketplace attests its identity verification: a salted
   * hash of the provider's verification and the status (`verified`, `rejected`, `requires_input`).
   */
  @Transaction()
  @Returns('string')
  public async attestVerification(
    ctx: Context,
    partyId: string,
    statusHashHex: string,
    status: string,
  ): Promise<string> {
    const submit = { ...(await beginSubmit(ctx)), identity: ctx.clientIdentity };
    return attestVerificationTransaction(ctx.stub, submit, partyId, statusHashHex, status);
  }

  /** The attestation the ledger holds of a party (`<marketplace>:<userId>`), or null. */
  @Transaction(false)
  @Returns('string')
  public async readVerificationAttestation(ctx: Context, partyId: string): Promise<string> {
    return readVerificationAttestationTransaction(ctx.stub, partyId);
  }

  /**
   * Stores the personal data whose salted hash the escrow declared at creation, from the transient
   * `privateDetails`. Only the collection's members endorse it (the collection's and the key's own
   * policy), so no other org ever receives the data. Storing the same data again changes nothing.
   */
  @Transaction()
  @Returns('string')
  public async putPrivateDetails(ctx: Context, escrowId: string): Promise<string> {
    const { actor } = await beginSubmit(ctx);
    const escrow = await loadEscrow(ctx.stub, requireId(escrowId, 'escrowId'), actor);
    requirePartyOperator(escrow, actor);
    const reference = escrow.privateDetails;
    if (reference === null || reference.erasedAt !== null)
      throw new PrivateDetailsNotFoundError(escrow.escrowId);
    const details = transientPrivateDetails(ctx, escrow.escrowId);
    if (details === null) throw new InvalidInputError('transient privateDetails is required');
    if (privateDetailsHash(details) !== reference.hash)
      throw new InvalidInputError('privateDetails do not match the hash declared at creation');
    const key = escrowKey(ctx.stub, escrow.escrowId);
    await ctx.stub.putPrivateData(reference.collection, key, privateDetailsBytes(details));
    const policy = privateDetailsPolicy(escrow.buyer.marketplace, escrow.seller.marketplace);
    await ctx.stub.setPrivateDataValidationParameter(reference.collection, key, encodePolicy(policy));
    return toStateJson({ escrowId: escrow.escrowId, collection: reference.collection, hash: reference.hash });
  }

  /** Purges the escrow's personal data from the parties' collection; the public hash stays. */
  @Transaction()
  @Returns('string')
  public async erasePrivateDetails(ctx: Context, escrowId: string): Promise<string> {
    const terms = await transition(ctx, escrowId, { type: 'erasePrivateDetails' });
    const { privateDetails } = terms.escrow;
    if (privateDetails !== null) {
      await ctx.stub.purgePrivateData(privateDetails.collection, escrowKey(ctx.stub, terms.escrow.escrowId));
    }
    return submitResult(ctx, terms);
  }

  /** Evaluate only: the answer is sealed under the caller's transient response key (sealedResult.ts). */
  @Transaction(false)
  @Returns('string')
  public async readPrivateDetails(ctx: Context, escrowId: string): Promise<string> {
    const responseKey = requireResponseKey(ctx.stub.getTransient());
    const actor = await actorOf(ctx);
    const escrow = await loadEscrow(ctx.stub, requireId(escrowId, 'escrowId'), actor);
    requirePrivateDetailsReader(escrow, actor);
    const reference = escrow.privateDetails;
    if (reference === null || reference.erasedAt !== null)
      throw new PrivateDetailsNotFoundError(escrow.escrowId);
    const bytes = await readCollection(ctx, reference.collection, escrow.escrowId);
    if (bytes.length === 0) throw new PrivateDetailsNotFoundError(escrow.escrowId);
    const details = privateDetailsFromBytes(bytes);
    const result = toStateJson({
      ...details,
      hash: reference.hash,
      hashMatches: privateDetailsHash(details) === reference.hash,
    });
    return sealResult(responseKey, result);
  }

  @Transaction()
  @Returns('string')
  public async postReview(ctx: Context, escrowId: string, rating: string, textHash: string): Promise<string> {
    const { actor, nowMs } = await beginSubmit(ctx);
    const { escrow, salt } = await loadTerms(ctx.stub, requireId(escrowId, 'escrowId'), actor);
    const subject = reviewSubject(escrow, actor);
    // The reviewer's side: the buyer rates the seller and the other way round.
    const side = isBuyer(escrow, actor) ? 'buyer' : 'seller';
    const ref = reviewRef(salt, escrow.escrowId, side);
    const publicKey = (party: Party): string => reviewKey(ctx.stub, party.marketplace, party.userId, ref);
    const alreadyPosted = subject !== undefined && (await ctx.stub.getState(publicKey(subject))).length > 0;
    const review = postReview(escrow, actor, rating, textHash, nowMs, alreadyPosted);
    // The public review, the full one and its author's entry in the escrow's party index (both in the
    // terms collection) carry the escrow's own policy (the parties' orgs), and the entry is rewritten
    // here: that write is what a review needs the trade's orgs for, since a new key alone falls under
    // the chaincode-wide MAJORITY.
    const policy = escrowPolicyBytes(escrow, false);
    const author = review.reviewer === 'buyer' ? escrow.buyer : escrow.seller;
    const reviewerKey = partyIndexKey(ctx.stub, author.marketplace, author.userId, escrow.escrowId);
    const fullKey = termsReviewKey(ctx.stub, escrow.escrowId, review.reviewer);
    const collection = termsCollectionOf(escrow);
    await ctx.stub.putState(publicKey(review.subject), toStateBytes(publicReviewOf(review, ref)));
    await ctx.stub.setStateValidationParameter(publicKey(review.subject), policy);
    await ctx.stub.putPrivateData(collection, fullKey, toStateBytes(review));
    await ctx.stub.setPrivateDataValidationParameter(collection, fullKey, policy);
    await ctx.stub.putPrivateData(collection, reviewerKey, INDEX_VALUE);
    await ctx.stub.setPrivateDataValidationParameter(collection, reviewerKey, policy);
    const event = escrowEvent('ReviewPosted', escrow, actor, review.postedAt, {
      reviewer: review.reviewer,
      subjectMarketplace: review.subject.marketplace,
      subjectUserId: review.subject.userId,
      rating: review.rating,
      textHash: review.textHash,
    });
    await recordVersion(ctx.stub, escrow, event);
    return reviewResult(ctx, review, ref);
  }

  /**
   * Governance, once per channel: the founding marketplaces (JSON `[{ "name", "mspId" }]`). The
   * caller is checked against the list it registers: Oversight's admin or a founding marketplace's.
   */
  @Transaction()
  @Returns('string')
  public async registerFoundingMarketplaces(ctx: Context, marketplaces: string): Promise<string> {
    const nowMs = txTimeMs(ctx);
    assertWithinClockSkew(nowMs, Date.now(), maxClockSkewSeconds());
    if ((await loadMarketplaceRegistry(ctx.stub)) !== undefined)
      throw new MarketplaceExistsError('the founding marketplaces are already registered');
    const specs = parseMarketplaceSpecs(marketplaces);
    const proposed = foundingRegistry(specs, { at: toInstant(nowMs), by: '' });
    const actor = actorFromIdentity(ctx.clientIdentity, proposed);
    requireOrgAdmin(actor);
    const registry = foundingRegistry(specs, changeBy(actor, nowMs));
    await storeMarketplaceRegistry(ctx.stub, registry);
    return toStateJson(registry);
  }

  /** Governance: a marketplace that joined the channel (JSON `{ "name", "mspId" }`) may trade. */
  @Transaction()
  @Returns('string')
  public async addMarketplace(ctx: Context, marketplace: string): Promise<string> {
    const { change } = await beginGovernance(ctx);
    const registry = withMarketplace(await requireRegistry(ctx), parseMarketplaceSpec(marketplace), change);
    await storeMarketplaceRegistry(ctx.stub, registry);
    return toStateJson(registry);
  }

  /** Governance: the marketplace's identities may no longer act; Oversight ends its open escrows. */
  @Transaction()
  @Returns('string')
  public async suspendMarketplace(ctx: Context, name: string): Promise<string> {
    return setMarketplaceStatus(ctx, name, 'suspended');
  }

  /** Governance: a suspended marketplace's identities act again (never its own: they are refused). */
  @Transaction()
  @Returns('string')
  public async reinstateMarketplace(ctx: Context, name: string): Promise<string> {
    return setMarketplaceStatus(ctx, name, 'active');
  }

  /** The registry: who trades on the channel. Any channel member may read it, even before it exists. */
  @Transaction(false)
  @Returns('string')
  public async readMarketplaces(ctx: Context): Promise<string> {
    return toStateJson((await loadMarketplaceRegistry(ctx.stub)) ?? UNREGISTERED);
  }

  /**
   * Oversight's arbiter ends an open escrow of a suspended marketplace (stateMachine.ts endSuspended):
   * cancelled before funding, resolved with the transient `buyerRefund` after.
   */
  @Transaction()
  @Returns('string')
  public async endSuspendedEscrow(ctx: Context, escrowId: string): Promise<string> {
    const { actor, registry, nowMs, endorserNowMs } = await beginSubmit(ctx);
    const before = await loadTerms(ctx.stub, requireId(escrowId, 'escrowId'), actor);
    const suspended = suspendedMarketplaceOf(registry, before.escrow);
    if (suspended === undefined)
      throw new InvalidStateError(
        'endSuspendedEscrow',
        `${before.escrow.state} (no party marketplace is suspended)`,
      );
    const args = optionalTransientArguments(ctx);
    const refund = args?.buyerRefund;
    const command: Command = {
      type: 'endSuspended',
      suspendedMarketplace: suspended,
      buyerRefund: refund === undefined ? undefined : textArgument(args ?? {}, 'buyerRefund'),
    };
    const { escrow, event } = applyCommand(before.escrow, command, actor, nowMs, endorserNowMs);
    await storeEscrow(ctx.stub, before.escrow, escrow, event, before.salt);
    return submitResult(ctx, { escrow, salt: before.salt });
  }

  /** Governance: Oversight's admin sets the channel's bounds on fees and inspection windows. */
  @Transaction()
  @Returns('string')
  public async setChannelSettings(ctx: Context, settings: string): Promise<string> {
    const { actor, nowMs } = await beginSubmit(ctx);
    requireOversightAdmin(actor);
    const record = channelSettingsRecord(
      parseChannelSettings(settings),
      toInstant(nowMs),
      `${actor.userId}@${actor.organization}`,
    );
    // The governing members must be known: they are who may change the settings from now on.
    await storeChannelSettings(ctx.stub, record, governancePolicyBytes(await requireRegistry(ctx)));
    return toStateJson(record);
  }

  /** The settings in force: the stored record, or the defaults (updatedAt null) when none was written. */
  @Transaction(false)
  @Returns('string')
  public async readChannelSettings(ctx: Context): Promise<string> {
    await actorOf(ctx);
    return toStateJson(await loadChannelSettings(ctx.stub));
  }

  @Transaction(false)
  @Returns('string')
  public async readEscrow(ctx: Context, escrowId: string): Promise<string> {
    const actor = await actorOf(ctx);
    const escrow = await loadEscrow(ctx.stub, requireId(escrowId, 'escrowId'), actor);
    requireEscrowReader(escrow, actor);
    return toStateJson(escrow);
  }

  @Transaction(false)
  @Returns('string')
  public async getHistory(ctx: Context, escrowId: string): Promise<string> {
    const actor = await actorOf(ctx);
    const id = requireId(escrowId, 'escrowId');
    // The parties never change, so the current record says who may read every version.
    requireEscrowReader(await loadEscrow(ctx.stub, id, actor), actor);
    return toStateJson(await escrowHistory(ctx.stub, id, actor));
  }

  @Transaction(false)
  @Returns('string')
  public async listEscrowsByParty(
    ctx: Context,
    marketplace: string,
    userId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const { actor, registry } = await callerOf(ctx);
    const listed = requireMarketplace(marketplace, 'marketplace');
    requireMarketplaceReader(listed, actor);
    const party = { marketplace: listed, userId: requireId(userId, 'userId') };
    const registered = (registry ?? UNREGISTERED).marketplaces.map((entry) => entry.name);
    return toStateJson(
      await listEscrowsOfParty(
        ctx.stub,
        actor,
        party,
        registered,
        parsePageSize(pageSize),
        parseBookmark(bookmark),
      ),
    );
  }

  @Transaction(false)
  @Returns('string')
  public async listEscrowsByMarketplace(
    ctx: Context,
    marketplace: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const actor = await actorOf(ctx);
    const listed = requireMarketplace(marketplace, 'marketplace');
    requireMarketplaceReader(listed, actor);
    const attributes = [listed];
    return toStateJson(
      await listEscrows(
        ctx.stub,
        actor,
        KEY_TYPES.byMarketplace,
        attributes,
        parsePageSize(pageSize),
        parseBookmark(bookmark),
      ),
    );
  }

  @Transaction(false)
  @Returns('string')
  public async listEscrowsByState(
    ctx: Context,
    state: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const actor = await actorOf(ctx);
    requireOversightReader(actor);
    const attributes = [parseState(state)];
    return toStateJson(
      await listEscrows(
        ctx.stub,
        actor,
        KEY_TYPES.byState,
        attributes,
        parsePageSize(pageSize),
        parseBookmark(bookmark),
      ),
    );
  }

  @Transaction(false)
  @Returns('string')
  public async getReputation(ctx: Context, marketplace: string, userId: string): Promise<string> {
    await actorOf(ctx);
    const subject = {
      marketplace: requireMarketplace(marketplace, 'marketplace'),
      userId: requireId(userId, 'userId'),
    };
    const values = await scanValues(ctx.stub, KEY_TYPES.review, [subject.marketplace, subject.userId]);
    return toStateJson(reputationOf(subject, values.map(ratingOf)));
  }
}
