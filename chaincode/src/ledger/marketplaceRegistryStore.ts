// The marketplace registry on the ledger: read by every transaction that resolves its caller (so a
// transaction endorsed before a suspension fails its read check once the suspension commits), written
// only by the governance transactions. No key-level policy: see storeMarketplaceRegistry.
import type { ChaincodeStub } from 'fabric-shim';
import { type MarketplaceRegistry, marketplaceRegistryFromBytes } from '../config/marketplaceRegistry';
import { marketplaceRegistryKey } from './keys';
import { toStateBytes } from './stateSerializer';

/** The registry, or undefined before the founding marketplaces were registered. */
export async function loadMarketplaceRegistry(stub: ChaincodeStub): Promise<MarketplaceRegistry | undefined> {
  const bytes = await stub.getState(marketplaceRegistryKey(stub));
  return bytes.length === 0 ? undefined : marketplaceRegistryFromBytes(bytes);
}

/**
 * The registry key carries no state-based policy on purpose: the chaincode-wide policy is the
 * channel's MAJORITY Endorsement, which Fabric evaluates over the channel's application orgs as
 * they are at validation time. A key-level policy would name the member orgs as they were when it
 * was written and need rewriting whenever the channel gains an org (a new marketplace joins the
 * channel before it is registered here); MAJORITY already is "a majority of the current members".
 */
export async function storeMarketplaceRegistry(
  stub: ChaincodeStub,
  registry: MarketplaceRegistry,
): Promise<void> {
  await stub.putState(marketplaceRegistryKey(stub), toStateBytes(registry));
}
