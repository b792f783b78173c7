// The channel settings record on the ledger: read by every creation (defaults when absent), written
// only by the governance transaction, under the governance policy of the registered members.
import type { ChaincodeStub } from 'fabric-shim';
import {
  type ChannelSettingsRecord,
  DEFAULT_CHANNEL_SETTINGS,
  channelSettingsFromBytes,
  channelSettingsRecord,
} from '../config/channelSettings';
import { channelSettingsKey } from './keys';
import { toStateBytes } from './stateSerializer';

export async function loadChannelSettings(stub: ChaincodeStub): Promise<ChannelSettingsRecord> {
  const bytes = await stub.getState(channelSettingsKey(stub));
  return bytes.length === 0
    ? channelSettingsRecord(DEFAULT_CHANNEL_SETTINGS, null, null)
    : channelSettingsFromBytes(bytes);
}

/** Writes the settings; `policy` (the governance policy's bytes) guards every later change. */
export async function storeChannelSettings(
  stub: ChaincodeStub,
  record: ChannelSettingsRecord,
  policy: Uint8Array,
): Promise<void> {
  const key = channelSettingsKey(stub);
  await stub.putState(key, toStateBytes(record));
  await stub.setStateValidationParameter(key, policy);
}
