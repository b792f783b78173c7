// Read-only views of the consortium through the org's gateway, for auditors and the consortium
// page: each org's peer's channel height, the chaincode definition the channel committed, and the
// channel's members with their public MSP material (the proof verifier's trust anchors). Each read
// is signed by the caller's own identity; any channel member may make them.
import { common, peer } from '@hyperledger/fabric-protos';
import { describePolicy, policyFromEnvelope, type PolicyRule } from '@p2p-escrow/proof-verifier';
import type { OrgDirectory } from '../config/gatewayConfig';
import type { GatewayCache, LedgerCaller } from './gatewayCache';
import {
  channelMembersOf,
  lastConfigIndexOf,
  ordererEndpointsOf,
  type MemberMaterial,
} from './channelMembers';
import { mapLedgerError } from './ledgerErrors';
import { reachOrderer, type OrdererReach } from './ordererReachability';

export interface PeerHeight {
  readonly org: string;
  readonly mspId: string;
  /** The peer's channel height (its latest block + 1); null when it did not answer. */
  readonly height: string | null;
  /** `ok`, or why the peer did not answer. */
  readonly detail: string;
}

export interface ChaincodeDefinition {
  readonly name: string;
  readonly version: string;
  readonly sequence: number;
  readonly endorsementPolicy: string;
  /** The same policy as a rule tree, which a proof verifier evaluates. */
  readonly endorsementRule: PolicyRule;
  readonly initRequired: boolean;
  /** Which orgs approved this definition, by MSP ID. */
  readonly approvals: Readonly<Record<string, boolean>>;
}

export interface TrustAnchors {
  readonly channel: string;
  /** The configuration block the members were read from. */
  readonly configBlock: string;
  readonly members: readonly MemberMaterial[];
}

export class ConsortiumLedger {
  constructor(
    private readonly gateways: GatewayCache,
    private readonly orgs: OrgDirectory,
    readonly channel: string,
    private readonly chaincode: string,
  ) {}

  private qscc(caller: LedgerCaller) {
    return this.gateways.gatewayFor(caller).getNetwork(this.channel).getContract('qscc');
  }

  private async heightAt(caller: LedgerCaller): Promise<bigint> {
    const info = await this.qscc(caller).evaluateTransaction('GetChainInfo', this.channel);
    return BigInt(common.BlockchainInfo.deserializeBinary(info).getHeight());
  }

  /** Every reachable org's peer, asked as the caller; a peer that fails is reported, not thrown. */
  async peerHeights(caller: LedgerCaller): Promise<PeerHeight[]> {
    return Promise.all(
      this.orgs.names.map(async (org) => {
        const mspId = this.orgs.mspIdOf(org);
        try {
          const height = await this.heightAt({ ...caller, org });
          return { org, mspId, height: String(height), detail: 'ok' };
        } catch (error) {
          const mapped = mapLedgerError(error);
          return {
            org,
            mspId,
            height: null,
            detail: mapped instanceof Error ? mapped.message : String(mapped),
          };
        }
      }),
    );
  }

  /** The committed definition of the escrow chaincode (_lifecycle's QueryChaincodeDefinition). */
  async chaincodeDefinition(caller: LedgerCaller): Promise<ChaincodeDefinition> {
    const args = new peer.lifecycle.QueryChaincodeDefinitionArgs();
    args.setName(this.chaincode);
    let bytes: Uint8Array;
    try {
      bytes = await this.gateways
        .gatewayFor(caller)
        .getNetwork(this.channel)
        .getContract('_lifecycle')
        .evaluateTransaction('QueryChaincodeDefinition', args.serializeBinary());
    } catch (error) {
      throw mapLedgerError(error);
    }
    const result = peer.lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(bytes);
    const policy = peer.ApplicationPolicy.deserializeBinary(result.getValidationParameter_asU8());
    const envelope = policy.getSignaturePolicy();
    if (envelope === undefined)
      throw new Error(
        `the definition refers to the channel policy ${policy.getChannelConfigPolicyReference()}`,
      );
    const endorsementRule = policyFromEnvelope(envelope.serializeBinary());
    return {
      name: this.chaincode,
      version: result.getVersion(),
      sequence: result.getSequence(),
      endorsementPolicy: describePolicy(endorsementRule),
      endorsementRule,
      initRequired: result.getInitRequired(),
      approvals: Object.fromEntries(
        result
          .getApprovalsMap()
          .getEntryList()
          .sort(([one], [other]) => one.localeCompare(other)),
      ),
    };
  }

  /** The channel's last configuration block, as the caller's peer holds it, with its index. */
  private async lastConfigBlock(caller: LedgerCaller): Promise<{ index: number; block: common.Block }> {
    const qscc = this.qscc(caller);
    const block = async (number: bigint) =>
      common.Block.deserializeBinary(
        await qscc.evaluateTransaction('GetBlockByNumber', this.channel, String(number)),
      );
    const latest = await block((await this.heightAt(caller)) - 1n);
    const index = lastConfigIndexOf(latest);
    return { index, block: await block(BigInt(index)) };
  }

  /** The channel's members from its last configuration block, as the caller's peer holds it. */
  async trustAnchors(caller: LedgerCaller): Promise<TrustAnchors> {
    try {
      const { index, block } = await this.lastConfigBlock(caller);
      return { channel: this.channel, configBlock: String(index), members: channelMembersOf(block) };
    } catch (error) {
      throw mapLedgerError(error);
    }
  }

  /**
   * Every orderer the configuration names, each tried with a TLS handshake at once; the endpoints
   * are read as the caller, an unreachable orderer is reported, not thrown.
   */
  async ordererReach(caller: LedgerCaller): Promise<OrdererReach[]> {
    let endpoints;
    try {
      endpoints = ordererEndpointsOf((await this.lastConfigBlock(caller)).block);
    } catch (error) {
      throw mapLedgerError(error);
    }
    return Promise.all(endpoints.map((endpoint) => reachOrderer(endpoint)));
  }
}
