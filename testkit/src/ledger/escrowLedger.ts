// Live-network access to the escrow chaincode for tests: gateways per enrolled identity, submits
// that return the committed block and the chaincode event the peer delivered, and refusal codes.
import {
  EndorseError,
  GatewayError,
  type ChaincodeEvent,
  type Gateway,
  type ProposalOptions,
} from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import {
  ARGUMENTS_TRANSIENT_KEY,
  mspIdOf,
  newResponseKey,
  newTermsSalt,
  openSealedResult,
  refusalIn,
  RESPONSE_KEY_TRANSIENT_KEY,
  SEALED_ANSWER_TRANSACTIONS,
  TERMS_SALT_TRANSIENT_KEY,
  TRANSACTION_PARAMETERS,
  TRANSACTIONS,
  type Organization,
  type TransactionName,
} from '@p2p-escrow/chaincode';
import { chaincodeName, channelName, joiningOrgs, peerOrgs } from '@p2p-escrow/scripts';
import { waitForBlock } from '../stack/liveNetwork';
import { openGateway, type GatewaySession } from './gatewayConnection';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export type OrgName = Organization;

/** The topology's peer orgs: the founders and the marketplaces that join the channel later. */
const knownOrgs = [...peerOrgs, ...joiningOrgs];

/** MSP ID of each of the topology's peer orgs, by the chaincode's naming rule. */
export const MSP_IDS: Readonly<Record<OrgName, string>> = Object.fromEntries(
  knownOrgs.map((org) => [org.name, mspIdOf(org.name)]),
);

export function orgOfMspId(mspId: string): OrgName {
  const org = knownOrgs.find((candidate) => candidate.mspId === mspId);
  if (org === undefined) throw new Error(`no org with MSP ID ${mspId}`);
  return org.name;
}

/** An identity per org used only to follow that org's peer (block events, neutral reads). */
const PEER_WATCHERS: Readonly<Record<OrgName, string>> = {
  MarketA: 'marketa-backend',
  MarketB: 'marketb-backend',
  MarketC: 'marketc-backend',
  Oversight: 'oscar',
};

function peerWatcherOf(org: OrgName): string {
  const watcher = PEER_WATCHERS[org];
  if (watcher === undefined) throw new Error(`no identity follows the peer of ${org}`);
  return watcher;
}

/** The org whose CA enrolled `identityId` (ids are unique across the topology). */
export function orgOfIdentity(identityId: string): OrgName {
  const org = knownOrgs.find((candidate) =>
    candidate.identities.some((identity) => identity.id === identityId),
  );
  if (org === undefined) throw new Error(`no enrolled identity ${identityId}`);
  return org.name;
}

/** Opens a Gateway to `viaOrg`'s peer signing as `identityId` of `identityOrg`. */
export type GatewayOpener = (viaOrg: OrgName, identityId: string, identityOrg: OrgName) => GatewaySession;

/**
 * One Gateway per (peer, identity), opened on first use and closed together: by default to the local
 * consortium's peers as the identities of its state directory; `open` reaches orgs on hosts of their own.
 */
export class GatewayPool {
  readonly #sessions = new Map<string, GatewaySession>();

  constructor(private readonly open: GatewayOpener = openGateway) {}

  /** `identityId` signing, connected to its own org's peer unless `via` names another. */
  of(identityId: string, via: OrgName = orgOfIdentity(identityId)): Gateway {
    const key = `${via}/${identityId}`;
    let session = this.#sessions.get(key);
    if (session === undefined) {
      session = this.open(via, identityId, orgOfIdentity(identityId));
      this.#sessions.set(key, session);
    }
    return session.gateway;
  }

  /** A gateway to `org`'s peer, for reads and block waits that need no particular identity. */
  onPeer(org: OrgName): Gateway {
    return this.of(peerWatcherOf(org), org);
  }

  /** Resolves once every named org's peer has committed `blockNumber`. */
  async caughtUp(orgs: readonly OrgName[], blockNumber: bigint): Promise<void> {
    await Promise.all([...new Set(orgs)].map((org) => waitForBlock(this.onPeer(org), blockNumber)));
  }

  closeAll(): void {
    for (const session of this.#sessions.values()) session.close();
    this.#sessions.clear();
  }
}

export function escrowContract(gateway: Gateway) {
  return gateway.getNetwork(channelName).getContract(chaincodeName);
}

export interface SubmitOptions {
  readonly endorsingOrganizations?: readonly string[];
  readonly transientData?: Readonly<Record<string, string | Uint8Array>>;
  /** Send the parameters as arguments, as a careless client would (the contract must refuse them). */
  readonly positional?: boolean;
}

/**
 * What a client sends for `transaction` with positional `args` (the escrow id, then the parameters
 * in TRANSACTION_PARAMETERS order, or the request JSON of a create): the escrow id as the argument,
 * the parameters as transient `arguments`, a fresh salt for a create, and a response key when the
 * answer is sealed. Tests keep writing submits the way they read; the wire carries the contract's form.
 */
function clientForm(
  transaction: string,
  args: readonly string[],
  options: SubmitOptions,
): { args: readonly string[]; options: SubmitOptions; responseKey: Uint8Array | undefined } {
  const name = transaction as TransactionName;
  const sealed = SEALED_ANSWER_TRANSACTIONS.includes(name);
  const responseKey = sealed ? newResponseKey() : undefined;
  const given = options.transientData ?? {};
  const transient: Record<string, string | Uint8Array> = { ...given };
  if (responseKey !== undefined && given[RESPONSE_KEY_TRANSIENT_KEY] === undefined)
    transient[RESPONSE_KEY_TRANSIENT_KEY] = responseKey;
  let sent = args;
  if (!options.positional) {
    const [escrowId = '', ...rest] = args;
    const names: readonly string[] | undefined = (
      TRANSACTION_PARAMETERS as Record<string, readonly string[]>
    )[name];
    if (name === 'createEscrow') {
      sent = [escrowId];
      if (rest[0] !== undefined) transient[ARGUMENTS_TRANSIENT_KEY] = rest[0];
      if (given[TERMS_SALT_TRANSIENT_KEY] === undefined) transient[TERMS_SALT_TRANSIENT_KEY] = newTermsSalt();
    } else if (name === 'proposeTerms') {
      // The changed terms travel whole, as a create's request does.
      sent = [escrowId];
      if (rest[0] !== undefined) transient[ARGUMENTS_TRANSIENT_KEY] = rest[0];
    } else if (names !== undefined) {
      sent = [escrowId];
      const parameters = Object.fromEntries(
        names.map((parameter, index) => {
          const value = rest[index];
          // The one structured parameter (a dispute's evidence hashes) is written as JSON text.
          return [parameter, parameter === 'evidenceHashes' && value !== undefined ? parseOr(value) : value];
        }),
      );
      if (given[ARGUMENTS_TRANSIENT_KEY] === undefined)
        transient[ARGUMENTS_TRANSIENT_KEY] = JSON.stringify(parameters);
    }
  }
  const usedKey = transient[RESPONSE_KEY_TRANSIENT_KEY];
  return {
    args: sent,
    options: { ...options, transientData: transient },
    responseKey: sealed && usedKey instanceof Uint8Array ? usedKey : undefined,
  };
}

/** The proposal options a client sends for positional `args` (see clientForm), for hand-built proposals. */
export function proposalOptionsOf(
  transaction: string,
  args: readonly string[],
  options: SubmitOptions = {},
): ProposalOptions {
  const sent = clientForm(transaction, args, options);
  return proposalOptions(sent.args, sent.options);
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function proposalOptions(args: readonly string[], options: SubmitOptions): ProposalOptions {
  const transientData =
    options.transientData === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(options.transientData).map(([key, value]) => [
            key,
            typeof value === 'string' ? encoder.encode(value) : value,
          ]),
        );
  return {
    arguments: [...args],
    ...(options.endorsingOrganizations === undefined
      ? {}
      : { endorsingOrganizations: [...options.endorsingOrganizations] }),
    ...(transientData === undefined ? {} : { transientData }),
  };
}

export interface Committed {
  readonly transactionId: string;
  readonly blockNumber: bigint;
  readonly result: unknown;
}

/** Endorses, submits and waits for the commit status; a transaction that is not VALID throws. */
export async function submitEscrow(
  gateway: Gateway,
  transaction: string,
  args: readonly string[],
  options: SubmitOptions = {},
): Promise<Committed> {
  const sent = clientForm(transaction, args, options);
  const submitted = await escrowContract(gateway).submitAsync(
    transaction,
    proposalOptions(sent.args, sent.options),
  );
  const status = await submitted.getStatus();
  if (!status.successful) {
    throw new Error(`${transaction} ${status.transactionId} committed with validation code ${status.code}`);
  }
  const answer = submitted.getResult();
  const text =
    sent.responseKey === undefined ? decoder.decode(answer) : openSealedResult(sent.responseKey, answer);
  return {
    transactionId: status.transactionId,
    blockNumber: status.blockNumber,
    result: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

export async function evaluateEscrow(
  gateway: Gateway,
  transaction: string,
  args: readonly string[],
  options: Pick<SubmitOptions, 'endorsingOrganizations'> = {},
): Promise<unknown> {
  const bytes = await escrowContract(gateway).evaluate(transaction, proposalOptions(args, options));
  return JSON.parse(decoder.decode(bytes)) as unknown;
}

/**
 * An escrow's personal data as `gateway`'s peers answer readPrivateDetails: evaluated with a fresh
 * transient response key, opened with it, and parsed.
 */
export async function evaluatePrivateDetails(
  gateway: Gateway,
  escrowId: string,
  options: Pick<SubmitOptions, 'endorsingOrganizations'> = {},
): Promise<Record<string, unknown>> {
  return evaluateSealed(gateway, TRANSACTIONS.readPrivateDetails, [escrowId], options);
}

/** A private read (readPrivateDetails, readReturnAddress): its answer sealed under a fresh response key. */
export async function evaluateSealed(
  gateway: Gateway,
  transaction: string,
  args: readonly string[],
  options: Pick<SubmitOptions, 'endorsingOrganizations'> = {},
): Promise<Record<string, unknown>> {
  const responseKey = newResponseKey();
  const sealed = await escrowContract(gateway).evaluate(
    transaction,
    proposalOptions(args, { ...options, transientData: { [RESPONSE_KEY_TRANSIENT_KEY]: responseKey } }),
  );
  return JSON.parse(openSealedResult(responseKey, sealed)) as Record<string, unknown>;
}

export interface DeliveredEvent {
  readonly name: string;
  readonly payload: Record<string, unknown>;
  readonly blockNumber: bigint;
}

/**
 * The chaincode event of a committed transaction, as the peer's event service delivers it. The
 * block is already committed, so its events come first; a later event means it emitted none.
 */
export async function chaincodeEventOf(
  gateway: Gateway,
  committed: Pick<Committed, 'transactionId' | 'blockNumber'>,
  timeoutMs = 30_000,
): Promise<DeliveredEvent> {
  const events = await gateway
    .getNetwork(channelName)
    .getChaincodeEvents(chaincodeName, { startBlock: committed.blockNumber });
  const timer = setTimeout(() => {
    events.close();
  }, timeoutMs);
  try {
    for await (const event of events as AsyncIterable<ChaincodeEvent>) {
      if (event.transactionId === committed.transactionId) {
        return {
          name: event.eventName,
          payload: JSON.parse(decoder.decode(event.payload)) as Record<string, unknown>,
          blockNumber: event.blockNumber,
        };
      }
      if (event.blockNumber > committed.blockNumber) break;
    }
  } finally {
    clearTimeout(timer);
    events.close();
  }
  throw new Error(`no chaincode event for ${committed.transactionId} in block ${committed.blockNumber}`);
}

export interface Refusal {
  readonly code: string;
  readonly message: string;
  readonly error: unknown;
}

/** Every message an error carries: its own and each endorser's detail. */
export function errorMessages(error: unknown): string[] {
  const messages = error instanceof Error ? [error.message] : [String(error)];
  if (error instanceof GatewayError) messages.push(...error.details.map((detail) => detail.message));
  return messages;
}

/** Awaits an attempt that must be refused by the chaincode and returns the stable code it gave. */
export async function refusalOf(attempt: Promise<unknown>): Promise<Refusal> {
  const error = await attempt.then(
    () => undefined,
    (caught: unknown) => caught ?? new Error('rejected without a reason'),
  );
  if (error === undefined) throw new Error('expected a refusal, but the transaction succeeded');
  const messages = errorMessages(error);
  // Endorser details carry "chaincode response 500, CODE: detail"; look there first.
  for (const message of [...messages.slice(1), ...messages.slice(0, 1)]) {
    const refusal = refusalIn([message]);
    if (refusal !== undefined) return { code: refusal.code, message, error };
  }
  return { code: 'UNKNOWN', message: messages.join(' | '), error };
}

/** True for an endorsement refusal (the proposal never became a transaction). */
export function isEndorseRefusal(refusal: Refusal): boolean {
  return refusal.error instanceof EndorseError;
}

/** Whether the ledger of `gateway`'s peer holds a transaction with this id (qscc GetTransactionByID). */
export async function isOnLedger(gateway: Gateway, transactionId: string): Promise<boolean> {
  const qscc = gateway.getNetwork(channelName).getContract('qscc');
  try {
    await qscc.evaluateTransaction('GetTransactionByID', channelName, transactionId);
    return true;
  } catch (error) {
    if (errorMessages(error).some((message) => message.includes('no such transaction ID'))) return false;
    throw error;
  }
}

/** The validation code (0 = VALID) `gateway`'s peer recorded for a committed transaction. */
export async function validationCodeOnLedger(gateway: Gateway, transactionId: string): Promise<number> {
  const processed = await gateway
    .getNetwork(channelName)
    .getContract('qscc')
    .evaluateTransaction('GetTransactionByID', channelName, transactionId);
  return peer.ProcessedTransaction.deserializeBinary(processed).getValidationcode();
}
