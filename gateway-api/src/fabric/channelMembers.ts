// The channel's members as its configuration states them: each org's public MSP material (root and
// intermediate CA certificates, PEM) and which orgs order blocks. This is what a proof verifier
// trusts; it is read from the last configuration block, which the orderers signed, not from files.
// The orderers' endpoints come from the same block, for the consortium page's reachability check.
import { common, msp } from '@hyperledger/fabric-protos';

export interface MemberMaterial {
  readonly mspId: string;
  /** `orderer` for the Orderer group's orgs, `peer` for the Application group's. */
  readonly kind: 'peer' | 'orderer';
  readonly rootCertificates: readonly string[];
  readonly intermediateCertificates: readonly string[];
}

/** The index of the last configuration block, from a block's orderer metadata. */
export function lastConfigIndexOf(block: common.Block): number {
  const signatures = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES];
  if (signatures === undefined) throw new Error('the block carries no orderer metadata');
  const metadata = common.Metadata.deserializeBinary(signatures);
  return (
    common.OrdererBlockMetadata.deserializeBinary(metadata.getValue_asU8()).getLastConfig()?.getIndex() ?? 0
  );
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

function membersOf(group: common.ConfigGroup | undefined, kind: MemberMaterial['kind']): MemberMaterial[] {
  const members: MemberMaterial[] = [];
  // forEach, not getEntryList: a jspb map's entry list holds its messages in their raw array form.
  group?.getGroupsMap().forEach((orgGroup: common.ConfigGroup) => {
    const value = orgGroup.getValuesMap().get('MSP');
    if (value === undefined) return;
    const config = msp.MSPConfig.deserializeBinary(value.getValue_asU8());
    const fabric = msp.FabricMSPConfig.deserializeBinary(config.getConfig_asU8());
    members.push({
      mspId: fabric.getName(),
      kind,
      rootCertificates: fabric.getRootCertsList_asU8().map(text),
      intermediateCertificates: fabric.getIntermediateCertsList_asU8().map(text),
    });
  });
  return members.sort((one, other) => one.mspId.localeCompare(other.mspId));
}

function channelGroupsOf(configBlock: common.Block) {
  const [first] = configBlock.getData()?.getDataList_asU8() ?? [];
  if (first === undefined) throw new Error('the configuration block is empty');
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(first).getPayload_asU8(),
  );
  return common.ConfigEnvelope.deserializeBinary(payload.getData_asU8())
    .getConfig()
    ?.getChannelGroup()
    ?.getGroupsMap();
}

/** Every member of the channel from its configuration block. */
export function channelMembersOf(configBlock: common.Block): MemberMaterial[] {
  const groups = channelGroupsOf(configBlock);
  return [...membersOf(groups?.get('Orderer'), 'orderer'), ...membersOf(groups?.get('Application'), 'peer')];
}

/** One orderer the channel's peers deliver from and submit to, with its org's TLS CA certificates. */
export interface OrdererEndpoint {
  readonly mspId: string;
  /** host:port as the configuration states it, the address the peers dial. */
  readonly address: string;
  readonly tlsRootCertificates: readonly string[];
}

/** The orderer orgs' endpoints (their `Endpoints` values), in the order each org lists them. */
export function ordererEndpointsOf(configBlock: common.Block): OrdererEndpoint[] {
  const endpoints: OrdererEndpoint[] = [];
  channelGroupsOf(configBlock)
    ?.get('Orderer')
    ?.getGroupsMap()
    .forEach((orgGroup: common.ConfigGroup) => {
      const mspValue = orgGroup.getValuesMap().get('MSP');
      const addressesValue = orgGroup.getValuesMap().get('Endpoints');
      if (mspValue === undefined || addressesValue === undefined) return;
      const fabric = msp.FabricMSPConfig.deserializeBinary(
        msp.MSPConfig.deserializeBinary(mspValue.getValue_asU8()).getConfig_asU8(),
      );
      const tlsRootCertificates = fabric.getTlsRootCertsList_asU8().map(text);
      for (const address of common.OrdererAddresses.deserializeBinary(
        addressesValue.getValue_asU8(),
      ).getAddressesList())
        endpoints.push({ mspId: fabric.getName(), address, tlsRootCertificates });
    });
  return endpoints;
}
