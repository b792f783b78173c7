// The channel's settings (fee cap, shortest inspection window) are ledger state the escrow chaincode
// reads at every creation; this writes the values network/topology.json gives the local channel, as
// Oversight's admin (the only identity the chaincode lets change them), once the chaincode answers.
import { ordererFlags, peerCli } from './fabricCli';
import { caCertPath, channelName, peerEndpoint, peerOrg, topology, type PeerOrgSpec } from './topology';

export interface ChannelSettingsSpec {
  readonly maxFeeBps: number;
  readonly minInspectionPeriodSeconds: number;
}

const governingOrg = 'Oversight';
// The settings key is new the first time, so the chaincode-wide MAJORITY applies: two orgs endorse.
const coEndorsingOrg = 'MarketA';

/** The settings the topology asks for, or undefined to leave the chaincode's defaults. */
export function topologyChannelSettings(): ChannelSettingsSpec | undefined {
  const spec = topology.channelSettings;
  return spec === undefined
    ? undefined
    : { maxFeeBps: spec.maxFeeBps, minInspectionPeriodSeconds: spec.minInspectionPeriodSeconds };
}

function chaincodeArgs(args: string[]): string[] {
  return ['-C', channelName, '-n', topology.chaincode.name, '-c', JSON.stringify({ Args: args })];
}

async function currentSettings(org: PeerOrgSpec): Promise<ChannelSettingsSpec> {
  const output = await peerCli(org, ['chaincode', 'query', ...chaincodeArgs(['readChannelSettings'])]);
  return JSON.parse(output.slice(output.indexOf('{'))) as ChannelSettingsSpec;
}

/** Writes the topology's settings unless the ledger already holds them (idempotent across starts). */
export async function applyChannelSettings(): Promise<void> {
  const wanted = topologyChannelSettings();
  if (wanted === undefined) return;
  const governing = peerOrg(governingOrg);
  const current = await currentSettings(governing);
  if (
    current.maxFeeBps === wanted.maxFeeBps &&
    current.minInspectionPeriodSeconds === wanted.minInspectionPeriodSeconds
  ) {
    return;
  }
  const endorsers = [governing, peerOrg(coEndorsingOrg)].flatMap((org) => [
    '--peerAddresses',
    peerEndpoint(org.name),
    '--tlsRootCertFiles',
    caCertPath(org.name),
  ]);
  await peerCli(governing, [
    'chaincode',
    'invoke',
    ...ordererFlags(),
    ...chaincodeArgs(['setChannelSettings', JSON.stringify(wanted)]),
    ...endorsers,
    '--waitForEvent',
  ]);
}
