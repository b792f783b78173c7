// The typed client of the escrow chaincode: encodes arguments, names the endorsing organizations,
// submits with bounded retries and decodes results. Routes call this class, never a Contract.
import {
  CommitError,
  type Contract,
  type SubmittedTransaction,
  type Transaction,
} from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import {
  ARGUMENTS_TRANSIENT_KEY,
  EscrowError,
  escrowEndorsingOrganizations,
  escrowFromBytes,
  historyFromBytes,
  marketplaceRegistryFromBytes,
  newResponseKey,
  newTermsSalt,
  openSealedResult,
  PRIVATE_DETAILS_TRANSIENT_KEY,
  privateDetailsEndorsingOrganizations,
  privateDetailsHashOf,
  RESPONSE_KEY_TRANSIENT_KEY,
  reputationFromBytes,
  resolutionEndorsingOrganizations,
  RETURN_ADDRESS_TRANSIENT_KEY,
  returnAddressHashOf,
  reviewFromBytes,
  TERMS_SALT_TRANSIENT_KEY,
  type Escrow,
  type HistoryEntry,
  ITEM_TRANSACTIONS,
  type Reputation,
  type Review,
  TRANSACTIONS,
} from '@p2p-escrow/chaincode';
import {
  assembleProof,
  defaultOfferPolicy,
  offerUntilTaken,
  orderersMayTakeItLater,
  ProofTooLongError,
  qsccBlockSource,
  reofferWhileAwaited,
  type BlockSource,
  type OfferPolicy,
  type ProofBundle,
} from '@p2p-escrow/fabric-client';
import type { OrgDirectory } from '../config/gatewayConfig';
import { ApiError } from '../errors/apiError';

/** The item-level transactions a route submits (the return address has its own two-step method). */
export type ItemTransaction = (typeof ITEM_TRANSACTIONS)[number];
import { partiesOf, type EscrowParties, type EscrowPartiesCache } from './escrowPartiesCache';
import type { GatewayCache, LedgerCaller } from './gatewayCache';
import {
  ChaincodeRefusalError,
  CommitPendingError,
  mapLedgerError,
  validationCodeName,
} from './ledgerErrors';
import { objectFromBytes, readResult } from './ledgerResults';
import { PeerCatchUp, type CatchUpMetrics } from './peerCatchUp';
import { PeerCommitLookup } from './commitLookup';
import { recoverLostCommitStatus } from './lostCommitStatus';
import { isRetryable, withRetry, type RetryPolicy } from './retry';

export type PeerCallKind = 'evaluate' | 'endorse' | 'commit_status' | 'block_stream_open';

export interface LedgerMetrics extends CatchUpMetrics {
  countPeerCall(kind: PeerCallKind, transaction: string): void;
  observeEndorse(transaction: string, seconds: number): void;
  observeCommit(transaction: string, seconds: number): void;
  /** The whole read-your-writes wait of one committed write (every other org's peer at once). */
  observeReadYourWrites(transaction: string, seconds: number): void;
  countRetry(transaction: string, code: string): void;
}

export type SubmitOutcome<T> =
  | {
      readonly status: 'COMMITTED';
      readonly transactionId: string;
      readonly blockNumber: string;
      readonly result: T;
    }
  | { readonly status: 'PENDING'; readonly transactionId: string };

export interface TransactionStatus {
  readonly transactionId: string;
  readonly status: 'COMMITTED' | 'INVALID' | 'UNKNOWN';
  readonly validationCode?: string;
  readonly blockNumber?: string;
}

export interface HistoryEntryWithBlock extends HistoryEntry {
  readonly blockNumber: string;
}

export interface CreateEscrowRequest {
  readonly buyer: { readonly marketplace: string; readonly userId: string };
  readonly seller: { readonly marketplace: string; readonly userId: string };
  readonly [field: string]: unknown;
}

const encoder = new TextEncoder();

/**
 * How one submit travels: the arguments (in the block: the escrow id, nothing commercial), the
 * parameters (transient `arguments`), other transient entries, and whether the answer is the full
 * record sealed under a fresh response key (else the chaincode answers with the public record).
 */
interface SubmitRequest<T> {
  readonly args: readonly string[];
  readonly endorsingOrgs: readonly string[];
  readonly parameters?: object;
  readonly transient?: Record<string, Uint8Array>;
  readonly decode: (bytes: Uint8Array) => T;
  readonly sealed?: boolean;
}

const readEscrow = (bytes: Uint8Array): Escrow => readResult('escrow record', () => escrowFromBytes(bytes));
const readReview = (bytes: Uint8Array): Review => readResult('review', () => reviewFromBytes(bytes));

export class EscrowLedgerClient {
  readonly #blockOfTx = new Map<string, string>();
  readonly #catchUp: PeerCatchUp;
  readonly #commits: PeerCommitLookup;

  /** `catchUpDeadlineMs` bounds the wait for the other orgs' peers after a commit (see peerCatchUp.ts). */
  constructor(
    private readonly gateways: GatewayCache,
    private readonly orgs: OrgDirectory,
    private readonly channel: string,
    private readonly chaincode: string,
    private readonly retryPolicy: RetryPolicy,
    private readonly metrics: LedgerMetrics,
    catchUpDeadlineMs: number,
    private readonly parties: EscrowPartiesCache,
    private readonly offerPolicy: OfferPolicy = defaultOfferPolicy,
  ) {
    this.#catchUp = new PeerCatchUp(gateways, orgs.names, channel, catchUpDeadlineMs, metrics);
    this.#commits = new PeerCommitLookup(gateways, orgs.names, channel, catchUpDeadlineMs);
  }

  // ---- submits ------------------------------------------------------------------------------------

  /**
   * Creates the escrow declaring only the salted hash of its personal data, then stores the data
   * itself in a second transaction endorsed by the parties' orgs alone: the create's endorsers may
   * include Oversight, which must never receive the data.
   */
  async createEscrow(
    caller: LedgerCaller,
    escrowId: string,
    request: CreateEscrowRequest,
    privateDetails?: Record<string, unknown>,
  ): Promise<SubmitOutcome<Escrow>> {
    const declared =
      privateDetails === undefined
        ? request
        : { ...request, privateDetailsHash: declaredHash(escrowId, privateDetails) };
    const created = await this.submit(caller, TRANSACTIONS.createEscrow, {
      args: [escrowId],
      endorsingOrgs: escrowEndorsingOrganizations(request),
      parameters: declared,
      transient: { [TERMS_SALT_TRANSIENT_KEY]: encoder.encode(newTermsSalt()) },
      decode: readEscrow,
      sealed: true,
    }).catch(async (error: unknown) => {
      throw await this.unknownMarketplaceIn(caller, request, error);
    });
    if (created.status === 'COMMITTED') this.parties.remember(created.result);
    if (privateDetails === undefined || created.status !== 'COMMITTED') return created;
    const stored = await this.putPrivateDetails(caller, created.result, privateDetails);
    return stored.status === 'COMMITTED' ? created : stored;
  }

  /**
   * Why a create's endorsement found no peer: a party's marketplace that is no member of the channel
   * has none, so the endorsement is planned on an org nobody serves and fails as if the ledger were
   * down (503). The registry, read from the caller's peer, tells the two apart: a marketplace it does
   * not hold is refused as the chaincode refuses it (INVALID_INPUT, 400); anything else stays `error`.
   */
  private async unknownMarketplaceIn(
    caller: LedgerCaller,
    parties: { readonly buyer: { marketplace: string }; readonly seller: { marketplace: string } },
    error: unknown,
  ): Promise<unknown> {
    if (!(error instanceof ApiError) || error.code !== 'LEDGER_UNAVAILABLE') return error;
    let registered: readonly string[];
    try {
      const registry = marketplaceRegistryFromBytes(
        await this.evaluate(caller, TRANSACTIONS.readMarketplaces, []),
      );
      registered = registry.marketplaces.map((entry) => entry.name);
    } catch {
      return error;
    }
    if (registered.length === 0) return error;
    const unknown = (['buyer', 'seller'] as const).find(
      (side) => !registered.includes(parties[side].marketplace),
    );
    return unknown === undefined
      ? error
      : new ChaincodeRefusalError('INVALID_INPUT', `${unknown}.marketplace is not a known marketplace`);
  }

  /** Stores an escrow's declared personal data; only its collection's members endorse. */
  putPrivateDetails(caller: LedgerCaller, escrow: EscrowParties, privateDetails: Record<string, unknown>) {
    return this.submit(caller, TRANSACTIONS.putPrivateDetails, {
      args: [escrow.escrowId],
      endorsingOrgs: privateDetailsEndorsingOrganizations(escrow),
      transient: { [PRIVATE_DETAILS_TRANSIENT_KEY]: encoder.encode(JSON.stringify(privateDetails)) },
      decode: (bytes) => objectFromBytes(bytes, 'stored private details'),
    });
  }

  /** The counterparty agrees to a proposal's terms; the chaincode decides who that may be. */
  accept(caller: LedgerCaller, escrow: EscrowParties) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.acceptEscrow);
  }

  decline(caller: LedgerCaller, escrow: EscrowParties) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.declineEscrow);
  }

  ship(caller: LedgerCaller, escrow: EscrowParties, carrier: string, trackingRef: string) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.shipEscrow, { carrier, trackingRef });
  }

  confirmDelivery(caller: LedgerCaller, escrow: EscrowParties) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.confirmDelivery);
  }

  release(caller: LedgerCaller, escrow: EscrowParties) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.releaseEscrow);
  }

  dispute(caller: LedgerCaller, escrow: EscrowParties, reason: string, evidenceHashes: readonly string[]) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.disputeEscrow, { reason, evidenceHashes });
  }

  resolve(caller: LedgerCaller, escrow: EscrowParties, buyerRefund: string) {
    return this.submit(caller, TRANSACTIONS.resolveDispute, {
      args: [escrow.escrowId],
      endorsingOrgs: resolutionEndorsingOrganizations(escrow),
      parameters: { buyerRefund },
      decode: readEscrow,
      sealed: true,
    });
  }

  /**
   * An arbiter (or Oversight's risk service) clears the active risk flag of `rule`; rule and reason
   * are the transaction's own arguments (codes and a reason, never personal data). Endorsed as any
   * change of the escrow.
   */
  clearRiskFlag(caller: LedgerCaller, escrow: EscrowParties, rule: string, reason: string) {
    return this.submit(caller, TRANSACTIONS.clearRiskFlag, {
      args: [escrow.escrowId, rule, reason],
      endorsingOrgs: escrowEndorsingOrganizations(escrow),
      decode: readEscrow,
      sealed: true,
    });
  }

  /**
   * An item-level transition (the chaincode's itemLifecycle.ts): the item's index travels with the
   * parameters; an arbiter's resolution of an item is endorsed as the escrow-level one.
   */
  onItem(
    caller: LedgerCaller,
    escrow: EscrowParties,
    transaction: ItemTransaction,
    item: number,
    parameters = {},
  ) {
    if (transaction !== 'resolveItem')
      return this.onEscrow(caller, escrow, TRANSACTIONS[transaction], { item, ...parameters });
    return this.submit(caller, TRANSACTIONS.resolveItem, {
      args: [escrow.escrowId],
      endorsingOrgs: resolutionEndorsingOrganizations(escrow),
      parameters: { item, ...parameters },
      decode: readEscrow,
      sealed: true,
    });
  }

  /**
   * The seller's return address for a rejected item: its salted hash declared on the item, then the
   * address stored in the parties' personal-data collection, endorsed by its members only.
   */
  async provideReturnAddress(caller: LedgerCaller, escrow: EscrowParties, item: number, address: string) {
    const details = { escrowId: escrow.escrowId, item, salt: newTermsSalt(), address };
    const addressHash = refusedAsTheChaincodeWould(() => returnAddressHashOf(details));
    const declared = await this.onItem(caller, escrow, 'provideReturnAddress', item, { addressHash });
    if (declared.status !== 'COMMITTED') return declared;
    const stored = await this.submit(caller, TRANSACTIONS.putReturnAddress, {
      args: [escrow.escrowId],
      endorsingOrgs: privateDetailsEndorsingOrganizations(escrow),
      transient: { [RETURN_ADDRESS_TRANSIENT_KEY]: encoder.encode(JSON.stringify(details)) },
      decode: (bytes) => objectFromBytes(bytes, 'stored return address'),
    });
    return stored.status === 'COMMITTED' ? declared : stored;
  }

  cancel(caller: LedgerCaller, escrow: EscrowParties) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.cancelEscrow);
  }

  claimRefund(caller: LedgerCaller, escrow: EscrowParties) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.claimRefund);
  }

  /** The buyer moves ship-by later, while it is open. */
  /** Either side proposes changed terms before funding; the other answers with accept or decline. */
  proposeTerms(caller: LedgerCaller, escrow: EscrowParties, terms: object) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.proposeTerms, terms);
  }

  extendShipBy(caller: LedgerCaller, escrow: EscrowParties, shipBy: string) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.extendShipBy, { shipBy });
  }

  /** A party of a disputed escrow offers a split; it replaces any open offer. */
  offerSettlement(caller: LedgerCaller, escrow: EscrowParties, buyerRefund: string, expiresAt?: string) {
    const parameters = expiresAt === undefined ? { buyerRefund } : { buyerRefund, expiresAt };
    return this.onEscrow(caller, escrow, TRANSACTIONS.offerSettlement, parameters);
  }

  acceptSettlementOffer(caller: LedgerCaller, escrow: EscrowParties) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.acceptSettlementOffer);
  }

  declineSettlementOffer(caller: LedgerCaller, escrow: EscrowParties) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.declineSettlementOffer);
  }

  recordSettlement(caller: LedgerCaller, escrow: EscrowParties, payee: string, providerRef: string) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.recordSettlement, { payee, providerRef });
  }

  /** Purges the escrow's personal data from the parties' collection; the public hash stays. */
  erasePrivateDetails(caller: LedgerCaller, escrow: EscrowParties) {
    return this.onEscrow(caller, escrow, TRANSACTIONS.erasePrivateDetails);
  }

  postReview(caller: LedgerCaller, escrow: EscrowParties, rating: number, textHash: string) {
    return this.submit(caller, TRANSACTIONS.postReview, {
      args: [escrow.escrowId, String(rating), textHash],
      endorsingOrgs: escrowEndorsingOrganizations(escrow),
      decode: readReview,
      sealed: true,
    });
  }

  // ---- reads --------------------------------------------------------------------------------------

  async readEscrow(caller: LedgerCaller, escrowId: string): Promise<Escrow> {
    const escrow = readEscrow(await this.evaluate(caller, TRANSACTIONS.readEscrow, [escrowId]));
    this.parties.remember(escrow);
    return escrow;
  }

  /**
   * The escrow's id and parties, which never change: from the cache when this gateway created or
   * read the escrow before, else read from the caller's peer (as the caller, so the chaincode's own
   * reader check applies) and kept.
   */
  async escrowParties(caller: LedgerCaller, escrowId: string): Promise<EscrowParties> {
    return this.parties.get(escrowId) ?? partiesOf(await this.readEscrow(caller, escrowId));
  }

  /**
   * The escrow's personal data, read from the caller's own peer (a member of the parties' collection),
   * sealed by the chaincode under a fresh key that travels only as transient data.
   */
  async readPrivateDetails(caller: LedgerCaller, escrowId: string): Promise<Record<string, unknown>> {
    const responseKey = newResponseKey();
    const sealed = await this.evaluate(caller, TRANSACTIONS.readPrivateDetails, [escrowId], {
      [RESPONSE_KEY_TRANSIENT_KEY]: responseKey,
    });
    const opened = readResult('private details', () => openSealedResult(responseKey, sealed));
    return objectFromBytes(encoder.encode(opened), 'private details');
  }

  async reputation(caller: LedgerCaller, marketplace: string, userId: string): Promise<Reputation> {
    const bytes = await this.evaluate(caller, TRANSACTIONS.getReputation, [marketplace, userId]);
    return readResult('reputation', () => reputationFromBytes(bytes));
  }

  /** The escrow's history, oldest first, each entry with the block that committed it. */
  async history(caller: LedgerCaller, escrowId: string): Promise<HistoryEntryWithBlock[]> {
    const bytes = await this.evaluate(caller, TRANSACTIONS.getHistory, [escrowId]);
    const entries = readResult('history', () => historyFromBytes(bytes));
    return Promise.all(
      entries.map(async (entry) => ({ ...entry, blockNumber: await this.blockNumberOf(caller, entry.txId) })),
    );
  }

  /**
   * The escrow's audit proof: the blocks of every transaction in its key history and the headers up
   * to the caller's peer's latest block, fetched through that peer's qscc as the caller.
   */
  async proof(caller: LedgerCaller, escrowId: string): Promise<ProofBundle> {
    const bytes = await this.evaluate(caller, TRANSACTIONS.getHistory, [escrowId]);
    const txIds = readResult('history', () => historyFromBytes(bytes)).map((entry) => entry.txId);
    const source = this.countedBlockSource(
      qsccBlockSource(this.gateways.gatewayFor(caller).getNetwork(this.channel)),
    );
    try {
      return await assembleProof(source, {
        channel: this.channel,
        chaincode: this.chaincode,
        escrowId,
        txIds,
      });
    } catch (error) {
      if (error instanceof ProofTooLongError)
        throw new ApiError(422, error.code, error.message, { maxHeaders: error.maxHeaders });
      throw mapLedgerError(error);
    }
  }

  /** Final status of any transaction, from the peer's ledger (qscc); UNKNOWN while not committed. */
  async transactionStatus(caller: LedgerCaller, transactionId: string): Promise<TransactionStatus> {
    const qscc = this.gateways.gatewayFor(caller).getNetwork(this.channel).getContract('qscc');
    let processed: Uint8Array;
    try {
      this.metrics.countPeerCall('evaluate', 'GetTransactionByID');
      processed = await qscc.evaluateTransaction('GetTransactionByID', this.channel, transactionId);
    } catch (error) {
      const mapped = mapLedgerError(error);
      if (mapped instanceof Error && /no such transaction|not found/i.test(describe(error)))
        return { transactionId, status: 'UNKNOWN' };
      throw mapped;
    }
    const code = peer.ProcessedTransaction.deserializeBinary(processed).getValidationcode();
    const blockNumber = await this.blockNumberOf(caller, transactionId);
    const validationCode = validationCodeName(code);
    return { transactionId, status: code === 0 ? 'COMMITTED' : 'INVALID', validationCode, blockNumber };
  }

  /** Ends the block streams that follow the other orgs' peers. */
  close(): void {
    this.#catchUp.close();
  }

  /** Round trip to the caller's peer and chaincode; readiness uses it. */
  async ping(caller: LedgerCaller): Promise<void> {
    await this.evaluate(caller, TRANSACTIONS.ping, []);
  }

  // ---- plumbing -----------------------------------------------------------------------------------

  private contract(caller: LedgerCaller): Contract {
    return this.gateways.gatewayFor(caller).getNetwork(this.channel).getContract(this.chaincode);
  }

  private async evaluate(
    caller: LedgerCaller,
    name: string,
    args: string[],
    transientData?: Record<string, Uint8Array>,
  ): Promise<Uint8Array> {
    return withRetry(
      async () => {
        try {
          this.metrics.countPeerCall('evaluate', name);
          if (transientData === undefined)
            return await this.contract(caller).evaluateTransaction(name, ...args);
          return await this.contract(caller).evaluate(name, { arguments: args, transientData });
        } catch (error) {
          throw mapLedgerError(error);
        }
      },
      this.retryPolicy,
      (error) => {
        this.metrics.countRetry(name, error.code);
      },
    );
  }

  private countedBlockSource(source: BlockSource): BlockSource {
    const counted = <T>(name: string, call: () => Promise<T>): Promise<T> => {
      this.metrics.countPeerCall('evaluate', name);
      return call();
    };
    return {
      blockByTxId: (txId) => counted('GetBlockByTxID', () => source.blockByTxId(txId)),
      blockByNumber: (number) => counted('GetBlockByNumber', () => source.blockByNumber(number)),
      height: () => counted('GetChainInfo', () => source.height()),
    };
  }

  private async blockNumberOf(caller: LedgerCaller, transactionId: string): Promise<string> {
    const known = this.#blockOfTx.get(transactionId);
    if (known !== undefined) return known;
    const qscc = this.gateways.gatewayFor(caller).getNetwork(this.channel).getContract('qscc');
    let bytes: Uint8Array;
    try {
      this.metrics.countPeerCall('evaluate', 'GetBlockByTxID');
      bytes = await qscc.evaluateTransaction('GetBlockByTxID', this.channel, transactionId);
    } catch (error) {
      throw mapLedgerError(error);
    }
    const number = String(common.Block.deserializeBinary(bytes).getHeader()?.getNumber() ?? '');
    // Committed transactions never move: the mapping can be kept for the process's lifetime (bounded).
    if (this.#blockOfTx.size > 100_000) this.#blockOfTx.clear();
    this.#blockOfTx.set(transactionId, number);
    return number;
  }

  /**
   * Hands the signed transaction to the ordering service, offering the same envelope again while no
   * orderer can take it (a Raft election, the caller's peer restarting): fabric-client's transactionOffer.ts.
   */
  private offer(name: string, transaction: Transaction): Promise<SubmittedTransaction> {
    return offerUntilTaken(
      () => transaction.submit(),
      (error) => {
        const again = orderersMayTakeItLater(error);
        if (again) this.metrics.countRetry(name, 'TRANSACTION_REOFFERED');
        return again;
      },
      this.offerPolicy.refusedWindowMs,
    );
  }

  /** The commit status, the same transaction offered again meanwhile in case an orderer dropped it. */
  private async awaitStatus(name: string, transaction: Transaction, submitted: SubmittedTransaction) {
    const reoffers = reofferWhileAwaited(() => {
      this.metrics.countRetry(name, 'TRANSACTION_REOFFERED');
      return transaction.submit();
    }, this.offerPolicy.reofferIntervalMs);
    try {
      return await submitted.getStatus();
    } finally {
      reoffers.stop();
    }
  }

  private onEscrow(caller: LedgerCaller, escrow: EscrowParties, name: string, parameters?: object) {
    return this.submit(caller, name, {
      args: [escrow.escrowId],
      endorsingOrgs: escrowEndorsingOrganizations(escrow),
      ...(parameters === undefined ? {} : { parameters }),
      decode: readEscrow,
      sealed: true,
    });
  }

  private submit<T>(
    caller: LedgerCaller,
    name: string,
    request: SubmitRequest<T>,
  ): Promise<SubmitOutcome<T>> {
    const endorsingOrganizations = [...new Set(request.endorsingOrgs)].map((org) => this.orgs.mspIdOf(org));
    return withRetry(
      async () => {
        let transactionId = '';
        try {
          // A fresh response key per attempt: each attempt is a new transaction.
          const responseKey = request.sealed === true ? newResponseKey() : undefined;
          const decode = (bytes: Uint8Array): T =>
            request.decode(
              responseKey === undefined
                ? bytes
                : encoder.encode(readResult('sealed result', () => openSealedResult(responseKey, bytes))),
            );
          const transientData: Record<string, Uint8Array> = {
            ...request.transient,
            ...(request.parameters === undefined
              ? {}
              : { [ARGUMENTS_TRANSIENT_KEY]: encoder.encode(JSON.stringify(request.parameters)) }),
            ...(responseKey === undefined ? {} : { [RESPONSE_KEY_TRANSIENT_KEY]: responseKey }),
          };
          const proposal = this.contract(caller).newProposal(name, {
            arguments: [...request.args],
            endorsingOrganizations,
            transientData,
          });
          transactionId = proposal.getTransactionId();
          const endorseStarted = performance.now();
          this.metrics.countPeerCall('endorse', name);
          const transaction = await proposal.endorse();
          let submitted: SubmittedTransaction | undefined;
          let status;
          try {
            submitted = await this.offer(name, transaction);
            this.metrics.observeEndorse(name, (performance.now() - endorseStarted) / 1000);
            const commitStarted = performance.now();
            this.metrics.countPeerCall('commit_status', name);
            status = await this.awaitStatus(name, transaction, submitted);
            this.metrics.observeCommit(name, (performance.now() - commitStarted) / 1000);
          } catch (error) {
            const mapped = mapLedgerError(error);
            if (!isRetryable(mapped) && !(mapped instanceof CommitPendingError)) throw mapped;
            // The orderer may have the transaction: never resubmit, nor answer "pending", before every
            // org's peer was asked what became of it (the caller's own peer may be the one that failed).
            const recovered = await recoverLostCommitStatus(transactionId, () =>
              this.#commits.recordOf(caller, transactionId, submitted),
            );
            if (recovered.kind === 'pending') return { status: 'PENDING' as const, transactionId };
            return {
              status: 'COMMITTED' as const,
              transactionId,
              blockNumber: recovered.blockNumber,
              result: decode(transaction.getResult()),
            };
          }
          if (!status.successful)
            throw new CommitError({
              code: status.code,
              transactionId,
              message: `transaction ${transactionId} invalid`,
            });
          const catchUpStarted = performance.now();
          await this.#catchUp.wait(caller, transactionId, status.blockNumber);
          this.metrics.observeReadYourWrites(name, (performance.now() - catchUpStarted) / 1000);
          return {
            status: 'COMMITTED' as const,
            transactionId,
            blockNumber: String(status.blockNumber),
            result: decode(transaction.getResult()),
          };
        } catch (error) {
          const mapped = mapLedgerError(error);
          if (mapped instanceof CommitPendingError)
            return { status: 'PENDING' as const, transactionId: mapped.transactionId ?? transactionId };
          throw mapped;
        }
      },
      this.retryPolicy,
      (error) => {
        this.metrics.countRetry(name, error.code);
      },
    );
  }
}

/** The salted hash a create declares; details the chaincode would refuse are refused the same way here. */
function declaredHash(escrowId: string, privateDetails: Record<string, unknown>): string {
  return refusedAsTheChaincodeWould(() => privateDetailsHashOf(escrowId, privateDetails));
}

/**
 * What the gateway computes with the chaincode's own rules before a submit (a salted hash of personal
 * data): a refusal of those rules (INVALID_TEXT for a control character in a return address) is the
 * chaincode's refusal, mapped to its 4xx like one from the ledger, not an unexpected error.
 */
export function refusedAsTheChaincodeWould<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (!(error instanceof EscrowError)) throw error;
    throw new ChaincodeRefusalError(error.code, error.message.slice(error.code.length + 2));
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const details = (error as Error & { details?: { message?: string }[] }).details ?? [];
  return [error.message, ...details.map((detail) => detail.message ?? '')].join('\n');
}
