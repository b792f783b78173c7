// The marketplace registry on the ledger: read by every transaction that resolves its caller (so a
// transaction endorsed before a suspension fails its read check once the suspension commits), written
// only by the governance transactions, under the governance policy of its members.
import type { ChaincodeStub } from 'fabric-shim';
import { mspIdOf, OVERSIGHT } from '../config/identityConfig';
import { type MarketplaceRegistry, marketplaceRegistryFromBytes } from '../config/marketplaceRegistry';
import { encodePolicy, governancePolicy } from './endorsementPolicy';
import { marketplaceRegistryKey } from './keys';
import { toStateBytes } from './stateSerializer';

/** The registry, or undefined before the founding marketplaces were registered. */
export async function loadMarketplaceRegistry(stub: ChaincodeStub): Promise<MarketplaceRegistry | undefined> {
  const bytes = await stub.getState(marketplaceRegistryKey(stub));
  return bytes.length === 0 ? undefined : marketplaceRegistryFromBytes(bytes);
}

/** The orgs that govern the chaincode: its active marketplaces and Oversight (MSP IDs). */
export function governingMspIds(registry: MarketplaceRegistry): string[] {
  return [
    ...registry.marketplaces.filter((entry) => entry.status === 'active').map((entry) => entry.mspId),
    mspIdOf(OVERSIGHT),
  ];
}

/** The key-level policy of a governance key for the members `registry` names. */
export function governancePolicyBytes(registry: MarketplaceRegistry): Uint8Array {
  return encodePolicy(governancePolicy(governingMspIds(registry)));
}

/**
 * Writes the registry and makes its key's policy a majority of the governing members it names. The
 * write itself is validated against the policy already on the key (the members before the change;
 * for the founding registration, the definition's), so the members in place decide every change:
 * a marketplace joins, is suspended or is reinstated only with a majority of them.
 */
export async function storeMarketplaceRegistry(
  stub: ChaincodeStub,
  registry: MarketplaceRegistry,
): Promise<void> {
  const key = marketplaceRegistryKey(stub);
  await stub.putState(key, toStateBytes(registry));
  await stub.setStateValidationParameter(key, governancePolicyBytes(registry));
}
