// The channel's settings (fee cap, shortest inspection window, settlement period) are ledger state the escrow chaincode
// reads at every creation; this writes the values network/topology.json gives the local channel, as
// Oversight's admin (the only identity the chaincode lets change them), once the chaincode answers.
import { invokeAndWait, queryJson } from './chaincodeInvoke';
import { GOVERNING_ORG, peerOrg, topology } from './topology';

export interface ChannelSettingsSpec {
  readonly maxFeeBps: number;
  readonly minInspectionPeriodSeconds: number;
  /** Absent: the chaincode's default (a day). */
  readonly settlementPeriodSeconds?: number;
}

// The settings key is new the first time, so the chaincode-wide MAJORITY applies: two orgs endorse.
const coEndorsingOrg = 'MarketA';

/** The settings the topology asks for, or undefined to leave the chaincode's defaults. */
export function topologyChannelSettings(): ChannelSettingsSpec | undefined {
  const spec = topology.channelSettings;
  return spec === undefined
    ? undefined
    : {
        maxFeeBps: spec.maxFeeBps,
        minInspectionPeriodSeconds: spec.minInspectionPeriodSeconds,
        ...(spec.settlementPeriodSeconds === undefined
          ? {}
          : { settlementPeriodSeconds: spec.settlementPeriodSeconds }),
      };
}

/** Writes the topology's settings unless the ledger already holds them (idempotent across starts). */
export async function applyChannelSettings(): Promise<void> {
  const wanted = topologyChannelSettings();
  if (wanted === undefined) return;
  const governing = peerOrg(GOVERNING_ORG);
  const current = (await queryJson(governing, ['readChannelSettings'])) as ChannelSettingsSpec;
  if (
    current.maxFeeBps === wanted.maxFeeBps &&
    current.minInspectionPeriodSeconds === wanted.minInspectionPeriodSeconds &&
    (wanted.settlementPeriodSeconds === undefined ||
      current.settlementPeriodSeconds === wanted.settlementPeriodSeconds)
  ) {
    return;
  }
  await invokeAndWait(
    governing,
    [governing, peerOrg(coEndorsingOrg)],
    ['setChannelSettings', JSON.stringify(wanted)],
  );
}
