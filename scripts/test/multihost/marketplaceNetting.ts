// A settlement period between three marketplaces on the live network: escrows between the buyers and
// sellers of every ordered pair of marketplaces, driven at once straight through each org's own peer
// with its own identities (the backend proposes, the seller accepts, the buyer's payments identity
// funds, the seller ships, the buyer releases, or disputes and Oversight's arbiter resolves), then
// the statements of their periods proposed per pair, and what the ledger holds compared, to the
// unit, with the obligations it recorded.
import {
  mspIdOf,
  obligationFromBytes,
  parseEscrow,
  statementEndorsingOrganizations,
  statementFromBytes,
  statementIdFor,
  statementPair,
  TRANSACTIONS,
  type ObligationRecord,
  type StatementRecord,
} from '@p2p-escrow/chaincode';
import {
  evaluateEscrow,
  orgOfMspId,
  sha256Hex,
  submitEscrow,
  Trade,
  type GatewayPool,
  type OrgName,
  type TradeParties,
} from '@p2p-escrow/testkit';
import { channelName } from '@p2p-escrow/scripts';
import type { CloseableAsyncIterable } from '@hyperledger/fabric-gateway';

/** Each marketplace's buyer, seller, backend and payments identity, as its CA issued them. */
const PEOPLE: Record<string, { buyer: string; seller: string; backend: string; payments: string }> = {
  MarketA: { buyer: 'alice', seller: 'amir', backend: 'marketa-backend', payments: 'marketa-payments' },
  MarketB: { buyer: 'bob', seller: 'bea', backend: 'marketb-backend', payments: 'marketb-payments' },
  MarketC: { buyer: 'carla', seller: 'chidi', backend: 'marketc-backend', payments: 'marketc-payments' },
};

/** The one identity that reads every trade's obligation and every statement: Oversight's auditor. */
const AUDITOR = 'oscar';

export const NETTING_MARKETPLACES = Object.keys(PEOPLE);

/**
 * Each org's peer height, followed on one filtered block stream per peer (no payload), so that
 * many trades can wait for their endorsers to have committed their previous step at little cost.
 */
export class PeerHeights {
  readonly #heights = new Map<OrgName, bigint>();
  readonly #streams: CloseableAsyncIterable<unknown>[] = [];
  #waiters: {
    orgs: readonly OrgName[];
    block: bigint;
    resolve: () => void;
    reject: (reason: string) => void;
  }[] = [];

  static async follow(pool: GatewayPool, orgs: readonly OrgName[]): Promise<PeerHeights> {
    const heights = new PeerHeights();
    for (const org of orgs) {
      const events = await pool.onPeer(org).getNetwork(channelName).getFilteredBlockEvents();
      heights.#streams.push(events);
      void (async () => {
        try {
          for await (const block of events) heights.#committed(org, BigInt(block.getNumber()));
        } catch {
          // Closed.
        }
      })();
    }
    return heights;
  }

  #committed(org: OrgName, block: bigint): void {
    if (block <= (this.#heights.get(org) ?? -1n)) return;
    this.#heights.set(org, block);
    const ready = this.#waiters.filter((waiter) => this.#have(waiter.orgs, waiter.block));
    this.#waiters = this.#waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }

  #have(orgs: readonly OrgName[], block: bigint): boolean {
    return orgs.every((org) => (this.#heights.get(org) ?? -1n) >= block);
  }

  /** Resolves once every named org's peer committed `block`; refuses after `timeoutMs` or on close. */
  reached(orgs: readonly OrgName[], block: bigint, timeoutMs = 60_000): Promise<void> {
    // Block 0: nothing of the caller's is on the ledger yet (the streams follow the blocks to come).
    if (block <= 0n || this.#have(orgs, block)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        orgs,
        block,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (reason: string) => {
          clearTimeout(timer);
          this.#waiters = this.#waiters.filter((other) => other !== waiter);
          reject(new Error(`${orgs.join(', ')} did not reach block ${String(block)}: ${reason}`));
        },
      };
      const timer = setTimeout(() => {
        waiter.reject(`not in ${String(timeoutMs)} ms`);
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  close(): void {
    for (const stream of this.#streams) stream.close();
    for (const waiter of this.#waiters) waiter.reject('the block streams closed');
  }
}

export interface NettingTrade {
  readonly trade: Trade;
  /** Whether it ends by the arbiter's resolution rather than the buyer's release. */
  readonly resolved: boolean;
  /** The seller's payout its terminal step left on the escrow. */
  sellerPayout?: string;
}

/**
 * `count` trades spread evenly over the six ordered pairs of the three marketplaces, amounts varied,
 * every `resolvedEvery`-th ending in a dispute the arbiter resolves with a partial refund.
 */
export function nettingTrades(pool: GatewayPool, count: number, resolvedEvery = 5): NettingTrade[] {
  const directions = NETTING_MARKETPLACES.flatMap((buyer) =>
    NETTING_MARKETPLACES.filter((seller) => seller !== buyer).map((seller) => [buyer, seller] as const),
  );
  return Array.from({ length: count }, (_, index) => {
    const [buyerOrg, sellerOrg] = directions[index % directions.length] ?? ['MarketA', 'MarketB'];
    const buyer = PEOPLE[buyerOrg];
    const seller = PEOPLE[sellerOrg];
    if (buyer === undefined || seller === undefined) throw new Error('no such marketplace');
    const parties: TradeParties = {
      buyer: buyer.buyer,
      seller: seller.seller,
      backend: buyer.backend,
      payments: buyer.payments,
    };
    const amount = String(1_000 + ((index * 7_919) % 90_001));
    return { trade: new Trade(pool, parties, 'netting', amount), resolved: index % resolvedEvery === 0 };
  });
}

/** One step of a trade as `identityId` through its own org's peer, once its endorsers hold the last one. */
async function step(
  heights: PeerHeights,
  trade: Trade,
  lastBlock: { value: bigint },
  identityId: string,
  transaction: string,
  args: readonly string[],
  endorsers: readonly string[],
  via: OrgName,
): Promise<unknown> {
  const orgs = [via, ...endorsers.map(orgOfMspId)];
  await heights.reached(orgs, lastBlock.value);
  const committed = await submitEscrow(trade.pool.of(identityId, via), transaction, args, {
    endorsingOrganizations: endorsers,
  });
  lastBlock.value = committed.blockNumber;
  return committed.result;
}

/** Drives one trade to RELEASED (or, disputed, to RESOLVED with a third refunded). */
export async function runNettingTrade(heights: PeerHeights, nettingTrade: NettingTrade): Promise<void> {
  const { trade, resolved } = nettingTrade;
  const { buyer, seller, backend, payments } = trade.parties;
  const last = { value: 0n };
  const own = (identityId: string): OrgName =>
    identityId === 'olivia'
      ? 'Oversight'
      : identityId === backend || identityId === buyer || identityId === payments
        ? trade.buyerOrg
        : trade.sellerOrg;
  const as = (
    identityId: string,
    transaction: string,
    args: readonly string[],
    endorsers = trade.endorsers,
  ) => step(heights, trade, last, identityId, transaction, args, endorsers, own(identityId));
  await as(backend, TRANSACTIONS.createEscrow, [trade.escrowId, JSON.stringify(trade.request())]);
  await as(seller, TRANSACTIONS.acceptEscrow, [trade.escrowId]);
  await as(payments, TRANSACTIONS.fundEscrow, [
    trade.escrowId,
    trade.amount,
    trade.currency,
    `psp-${trade.escrowId}`,
  ]);
  await as(seller, TRANSACTIONS.shipEscrow, [trade.escrowId, 'DHL', `trk-${trade.escrowId}`]);
  let ended: unknown;
  if (resolved) {
    const evidence = JSON.stringify([sha256Hex(`photo of ${trade.escrowId}`)]);
    await as(buyer, TRANSACTIONS.disputeEscrow, [trade.escrowId, 'not as described', evidence]);
    const refund = (BigInt(trade.amount) / 3n).toString();
    ended = await as('olivia', TRANSACTIONS.resolveDispute, [trade.escrowId, refund], trade.arbitration);
  } else ended = await as(buyer, TRANSACTIONS.releaseEscrow, [trade.escrowId]);
  nettingTrade.sellerPayout = parseEscrow(ended).sellerPayout;
  trade.lastBlock = last.value;
}

/** Runs `work` over `items` with at most `width` at a time; after a failure, starts no more. */
export async function inParallel<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    for (let index = next++; index < items.length && !failed; index = next++) {
      try {
        await work(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

export function readObligation(pool: GatewayPool, escrowId: string): Promise<ObligationRecord> {
  return evaluateEscrow(pool.of(AUDITOR), TRANSACTIONS.readObligation, [escrowId], {
    endorsingOrganizations: [mspIdOf('Oversight')],
  }).then((value) => obligationFromBytes(JSON.stringify(value)));
}

export function readStatement(pool: GatewayPool, statementId: string): Promise<StatementRecord> {
  return evaluateEscrow(pool.of(AUDITOR), TRANSACTIONS.readStatement, [statementId], {
    endorsingOrganizations: [mspIdOf('Oversight')],
  }).then((value) => statementFromBytes(Buffer.from(JSON.stringify(value))));
}

/** The statements the obligations call for: one per period and pair, sorted. */
export function statementIdsOf(obligations: readonly ObligationRecord[]): string[] {
  return [
    ...new Set(
      obligations.map((obligation) => statementIdFor(obligation.period, obligation.payer, obligation.payee)),
    ),
  ].sort();
}

/** Proposes a statement as the payments identity of the pair's first marketplace, through its own peer. */
export async function proposeStatement(
  pool: GatewayPool,
  heights: PeerHeights,
  statementId: string,
  afterBlock: bigint,
): Promise<bigint> {
  const [, first = '', second = ''] = statementId.split(':');
  const pair = statementPair(first, second);
  const endorsers = statementEndorsingOrganizations(...pair).map(mspIdOf);
  await heights.reached(pair as OrgName[], afterBlock);
  const proposer = PEOPLE[pair[0]]?.payments ?? '';
  const committed = await submitEscrow(pool.of(proposer), TRANSACTIONS.proposeStatement, [statementId], {
    endorsingOrganizations: endorsers,
  });
  return committed.blockNumber;
}

/**
 * The channel's settlement period made `seconds` long by Oversight's admin (the only identity the
 * chaincode lets change the settings), the other settings kept as they are; endorsed by a majority.
 */
export async function setSettlementPeriod(pool: GatewayPool, seconds: number): Promise<bigint> {
  const current = (await evaluateEscrow(pool.of(AUDITOR), TRANSACTIONS.readChannelSettings, [], {
    endorsingOrganizations: [mspIdOf('Oversight')],
  })) as Record<string, unknown>;
  const settings = {
    maxFeeBps: current['maxFeeBps'],
    minInspectionPeriodSeconds: current['minInspectionPeriodSeconds'],
    maxAcceptancePeriodSeconds: current['maxAcceptancePeriodSeconds'],
    settlementPeriodSeconds: seconds,
  };
  const committed = await submitEscrow(
    pool.of('oversight-admin'),
    TRANSACTIONS.setChannelSettings,
    [JSON.stringify(settings)],
    { endorsingOrganizations: ['Oversight', 'MarketA', 'MarketB'].map(mspIdOf) },
  );
  return committed.blockNumber;
}

export interface NettingCheck {
  /** Every difference between the statements and the obligations; empty when they balance. */
  readonly differences: string[];
  /** Each marketplace's net position over the statements: what it receives (+) or pays (−), as its obligations say. */
  readonly positions: Map<string, bigint>;
  readonly gross: bigint;
}

/**
 * Compares the statements with the obligations, to the unit: every obligation netted into exactly
 * one statement (its own), each statement's gross both ways and its net the sums of its obligations,
 * its payer the marketplace that owes the net; and the net positions of the marketplaces sum to zero.
 */
export function checkNetting(
  obligations: readonly ObligationRecord[],
  statements: readonly StatementRecord[],
): NettingCheck {
  const differences: string[] = [];
  const covering = new Map<string, string[]>();
  for (const statement of statements)
    for (const escrowId of statement.escrowIds)
      covering.set(escrowId, [...(covering.get(escrowId) ?? []), statement.statementId]);
  for (const obligation of obligations) {
    const statementIds = covering.get(obligation.escrowId) ?? [];
    if (
      statementIds.length !== 1 ||
      statementIds[0] !== obligation.statementId ||
      obligation.status !== 'netted'
    )
      differences.push(
        `${obligation.escrowId} (${obligation.status}, ${String(obligation.statementId)}) in statements [${statementIds.join(', ')}]`,
      );
  }
  const positions = new Map<string, bigint>();
  const credit = (org: string, amount: bigint) => positions.set(org, (positions.get(org) ?? 0n) + amount);
  let gross = 0n;
  for (const statement of statements) {
    const own = obligations.filter((obligation) => obligation.statementId === statement.statementId);
    const owed = (from: string) =>
      own
        .filter((obligation) => obligation.payer === from)
        .reduce((sum, obligation) => sum + BigInt(obligation.amount), 0n);
    const firstToSecond = owed(statement.first);
    const secondToFirst = owed(statement.second);
    const net = firstToSecond > secondToFirst ? firstToSecond - secondToFirst : secondToFirst - firstToSecond;
    const payer = net === 0n ? null : firstToSecond > secondToFirst ? statement.first : statement.second;
    const expected = `${String(firstToSecond)}/${String(secondToFirst)}/${String(net)}/${String(payer)}/${String(own.length)}`;
    const held = `${statement.grossFirstToSecond}/${statement.grossSecondToFirst}/${statement.net}/${String(statement.payer)}/${String(statement.escrowIds.length)}`;
    if (held !== expected)
      differences.push(`${statement.statementId}: ledger ${held}, obligations ${expected}`);
    gross += firstToSecond + secondToFirst;
    if (statement.payer !== null && statement.payee !== null) {
      credit(statement.payer, -BigInt(statement.net));
      credit(statement.payee, BigInt(statement.net));
    }
  }
  // What each marketplace's obligations say it receives and pays, against its position over the statements.
  for (const org of new Set(obligations.flatMap((obligation) => [obligation.payer, obligation.payee]))) {
    const owedTo = obligations
      .filter((obligation) => obligation.payee === org)
      .reduce((sum, obligation) => sum + BigInt(obligation.amount), 0n);
    const owedBy = obligations
      .filter((obligation) => obligation.payer === org)
      .reduce((sum, obligation) => sum + BigInt(obligation.amount), 0n);
    if ((positions.get(org) ?? 0n) !== owedTo - owedBy)
      differences.push(
        `${org}: statements net ${String(positions.get(org) ?? 0n)}, obligations ${String(owedTo - owedBy)}`,
      );
  }
  const sum = [...positions.values()].reduce((total, position) => total + position, 0n);
  if (sum !== 0n) differences.push(`the marketplaces' net positions sum to ${String(sum)}, not 0`);
  return { differences, positions, gross };
}
