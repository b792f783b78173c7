// One escrow driven through the live network by the identities a real deployment would use: the
// marketplace backend proposes it, the counterparty accepts, the buyer's payments identity funds it,
// the parties act for themselves, the arbiter resolves. Every step names the endorsing orgs the
// escrow's SBE needs.
import type { Gateway } from '@hyperledger/fabric-gateway';
import {
  escrowEndorsingOrganizations,
  escrowVersionFromBytes,
  isTermsCollection,
  KEY_TYPES,
  type EscrowVersion,
  mspIdOf,
  parseEscrow,
  PRIVATE_DETAILS_TRANSIENT_KEY,
  privateDetailsEndorsingOrganizations,
  privateDetailsHashOf,
  RETURN_ADDRESS_TRANSIENT_KEY,
  resolutionEndorsingOrganizations,
  type Escrow,
  TRANSACTIONS,
} from '@p2p-escrow/chaincode';
import * as crypto from 'node:crypto';
import {
  type Committed,
  type DeliveredEvent,
  type GatewayPool,
  type OrgName,
  type SubmitOptions,
  chaincodeEventOf,
  evaluateEscrow,
  evaluatePrivateDetails,
  evaluateSealed,
  orgOfIdentity,
  orgOfMspId,
  submitEscrow,
} from './escrowLedger';
import { blockAndPrivateDataAt, privateWritesOf } from './blockReader';

/** The escrow record as the chaincode stores and returns it. */
export type EscrowView = Escrow;

export interface TradeParties {
  readonly buyer: string;
  readonly seller: string;
  /** The marketplace identity that opens the escrow. */
  readonly backend: string;
  /** A payments identity of the buyer's marketplace (funds and records settlements). */
  readonly payments: string;
}

export const CROSS_MARKET: TradeParties = {
  buyer: 'alice',
  seller: 'bea',
  backend: 'marketa-backend',
  payments: 'marketa-payments',
};

export const SAME_MARKET_B: TradeParties = {
  buyer: 'bob',
  seller: 'bea',
  backend: 'marketb-backend',
  payments: 'marketb-payments',
};

export interface Deadlines {
  readonly acceptBy: Date;
  readonly fundBy: Date;
  readonly shipBy: Date;
  readonly inspectionPeriodSeconds: number;
}

export interface Step extends Committed {
  readonly escrow: EscrowView;
  /** The transition's full event, from the version its transaction kept in the terms collection. */
  readonly event: DeliveredEvent;
  /** The event as the block carries it to every channel member: escrow, state, time, org and role. */
  readonly publicEvent: DeliveredEvent;
}

const DAY_MS = 24 * 3600 * 1000;

function isEscrowRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'docType' in value && value.docType === 'escrow';
}

/** The version (record and full event) a committed transaction kept in its escrow's terms collection. */
export async function versionOf(
  gateway: Gateway,
  committed: Pick<Committed, 'transactionId' | 'blockNumber'>,
): Promise<EscrowVersion | undefined> {
  const delivered = await blockAndPrivateDataAt(gateway, committed.blockNumber);
  const write = privateWritesOf(delivered, committed.transactionId).find(
    (candidate) => isTermsCollection(candidate.collection) && candidate.key.startsWith(VERSION_KEY_PREFIX),
  );
  return write === undefined ? undefined : escrowVersionFromBytes(write.value);
}

const VERSION_KEY_PREFIX = `\u0000${KEY_TYPES.escrowVersion}\u0000`;

/** A fresh escrow id naming the test's purpose; `tier` tells live-network ids from e2e ones. */
export function uniqueEscrowId(purpose: string, tier: 'live' | 'e2e' = 'live'): string {
  return tier === 'live'
    ? `live-${purpose}-${crypto.randomBytes(6).toString('hex')}`
    : `e2e-${purpose}-${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`;
}

export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** Resolves when the wall clock (which stamps the next proposal) is past `instant`. */
export async function untilPast(instant: Date, marginMs = 250): Promise<void> {
  const remaining = instant.getTime() + marginMs - Date.now();
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
}

export class Trade {
  readonly escrowId: string;
  /** The newest block holding one of this escrow's transactions. */
  lastBlock = 0n;
  /** The escrow as the newest committed step left it, and how many versions the ledger holds. */
  lastEscrow: EscrowView | undefined;
  versions = 0;
  /** Further terms of the create request (who pays the fee, the delivery period). */
  terms: Record<string, unknown> = {};

  constructor(
    readonly pool: GatewayPool,
    readonly parties: TradeParties,
    purpose: string,
    readonly amount = '12345',
    readonly currency = 'EUR',
    readonly feeBps = 250,
  ) {
    this.escrowId = uniqueEscrowId(purpose);
  }

  get buyerOrg(): OrgName {
    return orgOfIdentity(this.parties.buyer);
  }

  get sellerOrg(): OrgName {
    return orgOfIdentity(this.parties.seller);
  }

  /** The orgs the escrow's key-level policy needs: both parties' orgs, or org + Oversight. */
  get endorsers(): string[] {
    return escrowEndorsingOrganizations(this.marketplaces).map((org) => mspIdOf(org));
  }

  /** The members of the escrow's private collection: the only orgs that may receive its personal data. */
  get detailsEndorsers(): string[] {
    return privateDetailsEndorsingOrganizations(this.marketplaces).map((org) => mspIdOf(org));
  }

  /** What the widened policy of a disputed escrow accepts for the arbiter: Oversight + one party's org. */
  get arbitration(): string[] {
    return resolutionEndorsingOrganizations(this.marketplaces).map(mspIdOf);
  }

  /**
   * The counterparty user whose consent the backend's proposal awaits: the party on the other
   * marketplace, or the seller when both trade on the backend's (the chaincode's counterpartyOf).
   */
  get counterparty(): string {
    const backendOrg = orgOfIdentity(this.parties.backend);
    const buyerConsents = this.buyerOrg !== this.sellerOrg && backendOrg === this.sellerOrg;
    return buyerConsents ? this.parties.buyer : this.parties.seller;
  }

  private get marketplaces() {
    return { buyer: { marketplace: this.buyerOrg }, seller: { marketplace: this.sellerOrg } };
  }

  request(deadlines: Partial<Deadlines> = {}): Record<string, unknown> {
    const now = Date.now();
    const split = BigInt(this.amount) / 3n;
    return {
      buyer: { marketplace: this.buyerOrg, userId: this.parties.buyer },
      seller: { marketplace: this.sellerOrg, userId: this.parties.seller },
      currency: this.currency,
      amount: this.amount,
      feeBps: this.feeBps,
      items: [
        { description: 'Camera', price: (BigInt(this.amount) - split).toString() },
        { description: 'Strap', price: split.toString() },
      ],
      ...(deadlines.acceptBy === undefined ? {} : { acceptBy: deadlines.acceptBy.toISOString() }),
      fundBy: (deadlines.fundBy ?? new Date(now + DAY_MS)).toISOString(),
      shipBy: (deadlines.shipBy ?? new Date(now + 7 * DAY_MS)).toISOString(),
      inspectionPeriodSeconds: deadlines.inspectionPeriodSeconds ?? 3 * 24 * 3600,
      ...this.terms,
    };
  }

  /** Submits as `identityId` through its own org's peer (or `via`) and fetches the delivered event. */
  async step(
    identityId: string,
    transaction: string,
    args: readonly string[],
    options: SubmitOptions & { via?: OrgName } = {},
  ): Promise<Step> {
    const via = options.via ?? orgOfIdentity(identityId);
    const gateway = this.pool.of(identityId, via);
    const endorsingOrganizations = options.endorsingOrganizations ?? this.endorsers;
    // Each endorser must have committed the previous step, or it would simulate on stale state.
    await this.pool.caughtUp([via, ...endorsingOrganizations.map(orgOfMspId)], this.lastBlock);
    const committed = await submitEscrow(gateway, transaction, args, {
      endorsingOrganizations,
      ...(options.transientData === undefined ? {} : { transientData: options.transientData }),
    });
    this.lastBlock = committed.blockNumber;
    const escrow = isEscrowRecord(committed.result) ? parseEscrow(committed.result) : undefined;
    if (escrow !== undefined) {
      this.lastEscrow = escrow;
      this.versions += 1;
    }
    const publicEvent = await chaincodeEventOf(gateway, committed);
    const version = await versionOf(this.pool.onPeer(via), committed);
    const event =
      version === undefined
        ? publicEvent
        : { ...publicEvent, payload: version.event.payload as unknown as Record<string, unknown> };
    return { ...committed, escrow: escrow ?? (committed.result as EscrowView), event, publicEvent };
  }

  /**
   * The backend's proposal: a PROPOSED escrow awaiting the counterparty. With `privateDetails`, the
   * request declares their salted hash and a second transaction (putPrivateDetails, endorsed by the
   * collection's members only) stores them.
   */
  async propose(
    deadlines: Partial<Deadlines> = {},
    privateDetails?: Record<string, unknown>,
  ): Promise<Step & { readonly privateDetailsStored?: Committed }> {
    const request =
      privateDetails === undefined
        ? this.request(deadlines)
        : {
            ...this.request(deadlines),
            privateDetailsHash: privateDetailsHashOf(this.escrowId, privateDetails),
          };
    const proposed = await this.step(this.parties.backend, TRANSACTIONS.createEscrow, [
      this.escrowId,
      JSON.stringify(request),
    ]);
    if (privateDetails === undefined) return proposed;
    return { ...proposed, privateDetailsStored: await this.putPrivateDetails(privateDetails) };
  }

  /** Stores the declared personal data as `identityId` (the backend), endorsed by the collection's members. */
  async putPrivateDetails(
    privateDetails: Record<string, unknown>,
    identityId = this.parties.backend,
  ): Promise<Committed> {
    const endorsingOrganizations = this.detailsEndorsers;
    await this.pool.caughtUp(endorsingOrganizations.map(orgOfMspId), this.lastBlock);
    const committed = await submitEscrow(
      this.pool.of(identityId),
      TRANSACTIONS.putPrivateDetails,
      [this.escrowId],
      {
        endorsingOrganizations,
        transientData: { [PRIVATE_DETAILS_TRANSIENT_KEY]: JSON.stringify(privateDetails) },
      },
    );
    this.lastBlock = committed.blockNumber;
    return committed;
  }

  /**
   * Stores a rejected item's return address (declared by the seller's provideReturnAddress) as the
   * seller, endorsed by the personal-data collection's members only.
   */
  async putReturnAddress(details: Record<string, unknown>): Promise<Committed> {
    const endorsingOrganizations = this.detailsEndorsers;
    await this.pool.caughtUp(endorsingOrganizations.map(orgOfMspId), this.lastBlock);
    const committed = await submitEscrow(
      this.pool.of(this.parties.seller),
      TRANSACTIONS.putReturnAddress,
      [this.escrowId],
      {
        endorsingOrganizations,
        transientData: { [RETURN_ADDRESS_TRANSIENT_KEY]: JSON.stringify(details) },
      },
    );
    this.lastBlock = committed.blockNumber;
    return committed;
  }

  /** An item's return address as `identityId` reads it through its own org's peer. */
  async readReturnAddress(identityId: string, item: number): Promise<Record<string, unknown>> {
    const org = orgOfIdentity(identityId);
    await this.pool.caughtUp([org], this.lastBlock);
    return evaluateSealed(
      this.pool.of(identityId),
      TRANSACTIONS.readReturnAddress,
      [this.escrowId, String(item)],
      {
        endorsingOrganizations: [mspIdOf(org)],
      },
    );
  }

  /** The counterparty (by default the user itself) agrees to the terms: CREATED. */
  accept(identityId = this.counterparty): Promise<Step> {
    return this.step(identityId, TRANSACTIONS.acceptEscrow, [this.escrowId]);
  }

  decline(identityId = this.counterparty): Promise<Step> {
    return this.step(identityId, TRANSACTIONS.declineEscrow, [this.escrowId]);
  }

  /** Ends an unaccepted proposal past its acceptBy; the keeper's job, open to anyone. */
  expire(identityId = 'keeper'): Promise<Step> {
    return this.step(identityId, TRANSACTIONS.expireProposal, [this.escrowId]);
  }

  /**
   * An escrow both sides agreed to: proposed (with its personal data stored, when given), then
   * accepted by the counterparty; the acceptance's step is returned.
   */
  async create(
    deadlines: Partial<Deadlines> = {},
    privateDetails?: Record<string, unknown>,
  ): Promise<Step & { readonly privateDetailsStored?: Committed }> {
    const proposed = await this.propose(deadlines, privateDetails);
    const accepted = await this.accept();
    return proposed.privateDetailsStored === undefined
      ? accepted
      : { ...accepted, privateDetailsStored: proposed.privateDetailsStored };
  }

  fund(): Promise<Step> {
    return this.step(this.parties.payments, TRANSACTIONS.fundEscrow, [
      this.escrowId,
      this.amount,
      this.currency,
      `psp-${this.escrowId}`,
    ]);
  }

  ship(): Promise<Step> {
    return this.step(this.parties.seller, TRANSACTIONS.shipEscrow, [
      this.escrowId,
      'DHL',
      `trk-${this.escrowId}`,
    ]);
  }

  confirmDelivery(): Promise<Step> {
    return this.step(this.parties.buyer, TRANSACTIONS.confirmDelivery, [this.escrowId]);
  }

  release(): Promise<Step> {
    return this.step(this.parties.buyer, TRANSACTIONS.releaseEscrow, [this.escrowId]);
  }

  dispute(reason = 'item not as described'): Promise<Step> {
    const evidence = JSON.stringify([sha256Hex(`photo of ${this.escrowId}`)]);
    return this.step(this.parties.buyer, TRANSACTIONS.disputeEscrow, [this.escrowId, reason, evidence]);
  }

  resolve(buyerRefund: string, arbiter = 'olivia'): Promise<Step> {
    return this.step(arbiter, TRANSACTIONS.resolveDispute, [this.escrowId, buyerRefund], {
      endorsingOrganizations: this.arbitration,
    });
  }

  recordSettlement(payee: 'buyer' | 'seller'): Promise<Step> {
    return this.step(this.parties.payments, TRANSACTIONS.recordSettlement, [
      this.escrowId,
      payee,
      `payout-${payee}-${this.escrowId}`,
    ]);
  }

  /** propose → accept → fund → ship → confirmDelivery → release, the happy path. */
  async completeThroughRelease(): Promise<Step> {
    const steps = await this.stepsThroughRelease();
    return steps[steps.length - 1] as Step;
  }

  /** The happy path's six steps, each as it committed. */
  async stepsThroughRelease(): Promise<Step[]> {
    const steps: Step[] = [];
    for (const next of [
      () => this.propose(),
      () => this.accept(),
      () => this.fund(),
      () => this.ship(),
      () => this.confirmDelivery(),
      () => this.release(),
    ])
      steps.push(await next());
    return steps;
  }

  /** The escrow as `identityId` reads it through its own org's peer (defaults to the backend). */
  async read(identityId = this.parties.backend): Promise<EscrowView> {
    return parseEscrow(await this.evaluate(identityId, TRANSACTIONS.readEscrow, [this.escrowId]));
  }

  async history(identityId = this.parties.backend): Promise<unknown[]> {
    return (await this.evaluate(identityId, TRANSACTIONS.getHistory, [this.escrowId])) as unknown[];
  }

  /** The escrow's personal data as `identityId` reads it through its own org's peer. */
  async readPrivateDetails(identityId: string): Promise<Record<string, unknown>> {
    const org = orgOfIdentity(identityId);
    await this.pool.caughtUp([org], this.lastBlock);
    return evaluatePrivateDetails(this.pool.of(identityId), this.escrowId, {
      endorsingOrganizations: [mspIdOf(org)],
    });
  }

  /** Evaluates on `identityId`'s own peer once that peer has this escrow's newest block. */
  async evaluate(identityId: string, transaction: string, args: readonly string[]): Promise<unknown> {
    const org = orgOfIdentity(identityId);
    await this.pool.caughtUp([org], this.lastBlock);
    return evaluateEscrow(this.pool.of(identityId), transaction, args, {
      endorsingOrganizations: [mspIdOf(org)],
    });
  }
}
