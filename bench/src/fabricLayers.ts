// The two layers driven through fabric-gateway straight to the peers: the network's ceiling
// (`putMarker`, one put) and the escrow lifecycle with the endorsing orgs each escrow key's SBE needs.
import type { Gateway } from '@hyperledger/fabric-gateway';
import { common, orderer } from '@hyperledger/fabric-protos';
import {
  escrowEndorsingOrganizations,
  mspIdOf,
  type Organization,
  TRANSACTIONS,
} from '@p2p-escrow/chaincode';
import { chaincodeName, channelName } from '@p2p-escrow/scripts';
import { createRequest, openGateway, type GatewaySession } from '@p2p-escrow/testkit';
import * as crypto from 'node:crypto';
import { createProposal, type EscrowProposal, transientBytes } from './escrowProposal';
import { lifecycleSteps } from './lifecycleSteps';
import type { Outcome } from './openLoop';

export const ORGS = ['MarketA', 'MarketB', 'Oversight'] as const satisfies readonly Organization[];
export type Org = (typeof ORGS)[number];
const WATCHER: Record<Org, string> = {
  MarketA: 'marketa-backend',
  MarketB: 'marketb-backend',
  Oversight: 'oscar',
};

/** One gateway per (peer, identity) for the whole run. */
export class Sessions {
  readonly #open = new Map<string, GatewaySession>();

  of(identityId: string, org: Org): Gateway {
    const key = `${org}/${identityId}`;
    let session = this.#open.get(key);
    if (session === undefined) {
      session = openGateway(org, identityId, org);
      this.#open.set(key, session);
    }
    return session.gateway;
  }

  closeAll(): void {
    for (const session of this.#open.values()) session.close();
    this.#open.clear();
  }
}

export interface BlockSeen {
  readonly number: number;
  readonly transactions: number;
  readonly at: number;
}

/**
 * Follows every peer's committed height through one filtered block stream per peer, so a lifecycle
 * step can wait until its endorsers have committed the previous step without opening a stream each.
 */
export class ChainWatch {
  readonly heights = new Map<Org, number>();
  /** Blocks committed by MarketA's peer while watched. */
  readonly blocks: BlockSeen[] = [];
  /** When each block reached the bench from Oversight's peer (ms since the epoch): its commit there. */
  readonly oversightCommits = new Map<number, number>();
  readonly #waiters: { org: Org; block: number; resolve: () => void }[] = [];
  readonly #closers: (() => void)[] = [];

  async start(sessions: Sessions): Promise<void> {
    for (const org of ORGS) {
      const network = sessions.of(WATCHER[org], org).getNetwork(channelName);
      const info = await network
        .getContract('qscc')
        .evaluateTransaction('GetChainInfo', channelName)
        .then((bytes) => common.BlockchainInfo.deserializeBinary(bytes));
      const height = info.getHeight();
      this.heights.set(org, height - 1);
      const events = await network.getFilteredBlockEvents({ startBlock: BigInt(height) });
      this.#closers.push(() => {
        events.close();
      });
      void (async () => {
        try {
          for await (const block of events) {
            const number = block.getNumber();
            this.heights.set(org, number);
            if (org === 'Oversight') this.oversightCommits.set(number, Date.now());
            if (org === 'MarketA')
              this.blocks.push({
                number,
                transactions: block.getFilteredTransactionsList().length,
                at: performance.now(),
              });
            for (let i = this.#waiters.length - 1; i >= 0; i--) {
              const waiter = this.#waiters[i];
              if (waiter !== undefined && waiter.org === org && waiter.block <= number) {
                this.#waiters.splice(i, 1);
                waiter.resolve();
              }
            }
          }
        } catch {
          // Closed at the end of the run.
        }
      })();
    }
  }

  async caughtUp(orgs: readonly Org[], block: number): Promise<void> {
    await Promise.all(
      orgs.map((org) =>
        (this.heights.get(org) ?? -1) >= block
          ? Promise.resolve()
          : new Promise<void>((resolve) => this.#waiters.push({ org, block, resolve })),
      ),
    );
  }

  close(): void {
    for (const close of this.#closers) close();
  }
}

export interface OrderingInForce {
  readonly batchTimeout: string;
  readonly maxMessageCount: number;
  readonly absoluteMaxBytes: number;
  readonly preferredMaxBytes: number;
}

/** BatchTimeout and BatchSize from the channel's newest config block (what the orderers apply). */
export async function orderingInForce(gateway: Gateway): Promise<OrderingInForce> {
  const qscc = gateway.getNetwork(channelName).getContract('qscc');
  const blockAt = async (number: number) =>
    common.Block.deserializeBinary(
      await qscc.evaluateTransaction('GetBlockByNumber', channelName, String(number)),
    );
  const height = common.BlockchainInfo.deserializeBinary(
    await qscc.evaluateTransaction('GetChainInfo', channelName),
  ).getHeight();
  // The newest block's signatures metadata names the newest config block.
  const signatures = (await blockAt(height - 1)).getMetadata()?.getMetadataList_asU8()[0];
  if (signatures === undefined) throw new Error('block without signatures metadata');
  const lastConfig =
    common.OrdererBlockMetadata.deserializeBinary(
      common.Metadata.deserializeBinary(signatures).getValue_asU8(),
    )
      .getLastConfig()
      ?.getIndex() ?? 0;
  const block = await blockAt(lastConfig);
  const first = block.getData()?.getDataList_asU8()[0];
  if (first === undefined) throw new Error('config block without data');
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(first).getPayload_asU8(),
  );
  const config = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig();
  const values = config?.getChannelGroup()?.getGroupsMap().get('Orderer')?.getValuesMap();
  const value = (name: string) => {
    const found = values?.get(name);
    if (found === undefined) throw new Error(`channel config has no Orderer/${name}`);
    return found.getValue_asU8();
  };
  const size = orderer.BatchSize.deserializeBinary(value('BatchSize'));
  return {
    batchTimeout: orderer.BatchTimeout.deserializeBinary(value('BatchTimeout')).getTimeout(),
    maxMessageCount: size.getMaxMessageCount(),
    absoluteMaxBytes: size.getAbsoluteMaxBytes(),
    preferredMaxBytes: size.getPreferredMaxBytes(),
  };
}

const TRANSIENT =
  /MVCC_READ_CONFLICT|PHANTOM_READ_CONFLICT|ENDORSEMENT_POLICY_FAILURE|INVALID_STATE|UNAVAILABLE|ProposalResponsePayloads do not match/;

/** Submits and waits for the commit; conflicts and stale reads are retried up to 3 times. */
async function submit(
  gateway: Gateway,
  proposal: EscrowProposal,
  endorsingOrganizations: readonly string[] | undefined,
): Promise<{ block: number; retries: number }> {
  const { transaction } = proposal;
  const contract = gateway.getNetwork(channelName).getContract(chaincodeName);
  for (let attempt = 0; ; attempt++) {
    try {
      const submitted = await contract.submitAsync(transaction, {
        arguments: [...proposal.arguments],
        ...(Object.keys(proposal.transientData).length === 0
          ? {}
          : { transientData: transientBytes(proposal) }),
        ...(endorsingOrganizations === undefined
          ? {}
          : { endorsingOrganizations: [...endorsingOrganizations] }),
      });
      const status = await submitted.getStatus();
      if (!status.successful) throw new Error(`${transaction} committed as ${String(status.code)}`);
      return { block: Number(status.blockNumber), retries: attempt };
    } catch (error) {
      const message =
        error instanceof Error
          ? `${error.message} ${JSON.stringify((error as { details?: unknown }).details ?? '')}`
          : String(error);
      if (attempt >= 3 || (!TRANSIENT.test(message) && !/committed as (11|12)\b/.test(message)))
        throw new Error(`${transaction}: ${message.slice(0, 300)}`);
      await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
    }
  }
}

/** Ceiling: one `putMarker` (a single put) per operation, as MarketA's backend, discovery's endorsers. */
export function ceilingOperation(sessions: Sessions): (index: number) => Promise<Outcome> {
  const gateway = sessions.of('marketa-backend', 'MarketA');
  const run = crypto.randomBytes(4).toString('hex');
  return async (index) => {
    const marker = [`bench-${run}-${String(index)}`, 'x'];
    const putMarker = { transaction: TRANSACTIONS.putMarker, arguments: marker, transientData: {} };
    const { retries } = await submit(gateway, putMarker, undefined);
    return { units: 1, retries };
  };
}

/**
 * The cross-marketplace create request every escrow scenario sends (alice@MarketA buys from bea@MarketB):
 * the gateway tests' request, with the amount the chaincode takes and without the id it takes apart.
 */
const CROSS_MARKET_PARTIES = {
  buyer: { marketplace: 'MarketA' },
  seller: { marketplace: 'MarketB' },
} as const;

function crossMarketRequest(): Record<string, unknown> {
  const request = createRequest('', { amount: '12345' });
  delete request['escrowId'];
  return request;
}

/** One `createEscrow` as MarketA's backend, endorsers chosen by discovery (as Caliper's round does). */
export function createOperation(sessions: Sessions): (index: number) => Promise<Outcome> {
  const gateway = sessions.of('marketa-backend', 'MarketA');
  const run = crypto.randomBytes(4).toString('hex');
  return async (index) => {
    const escrowId = `bench-create-${run}-${String(index)}`;
    const { retries } = await submit(gateway, createProposal(escrowId, crossMarketRequest()), undefined);
    return { units: 1, retries };
  };
}

/**
 * Chaincode: one cross-marketplace escrow walked create → accept → fund → ship → confirmDelivery →
 * release, each step signed by its own actor through its own org's peer and endorsed by
 * AND(MarketA, MarketB) as the key's SBE requires. Six transactions per operation; each step's
 * latency is recorded.
 */
export function lifecycleOperation(
  sessions: Sessions,
  watch: ChainWatch,
): (index: number) => Promise<Outcome> {
  const endorsers = escrowEndorsingOrganizations(CROSS_MARKET_PARTIES).map((org) => mspIdOf(org));
  const run = crypto.randomBytes(4).toString('hex');
  return async (index) => {
    const escrowId = `bench-${run}-${String(index)}`;
    const steps = lifecycleSteps(escrowId, crossMarketRequest());
    const latencies: number[] = [];
    const unitTimes: number[] = [];
    let retries = 0;
    let lastBlock = -1;
    for (const { identity, org, proposal } of steps) {
      // Both endorsers must have committed the previous step, or they would simulate on stale state.
      await watch.caughtUp(['MarketA', 'MarketB'], lastBlock);
      const began = performance.now();
      const result = await submit(sessions.of(identity, org), proposal, endorsers);
      latencies.push(performance.now() - began);
      unitTimes.push(performance.now());
      retries += result.retries;
      lastBlock = result.block;
    }
    return { units: steps.length, latencies, retries, unitTimes };
  };
}
