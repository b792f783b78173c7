// The marketplace registry: which marketplaces trade on the channel, under which MSP, and whether
// each is active or suspended. Ledger state (one record, like the channel settings), written only by
// the governance transactions; read by every transaction to know who is a marketplace. Pure here:
// the contract loads and stores it (ledger/marketplaceRegistryStore.ts).
import {
  CorruptStateError,
  EscrowError,
  InvalidInputError,
  InvalidStateError,
  MarketplaceExistsError,
  MarketplaceNotFoundError,
  MarketplaceSuspendedError,
  MarketplacesNotRegisteredError,
} from '../errors/escrowErrors';
import { fromStateBytes } from '../ledger/stateSerializer';
import { parseJson, requireArray, requireObject, requireOneOf, requireText } from '../validation/fields';
import { type Marketplace, isMarketplace, mspIdOf } from './identityConfig';

export const MARKETPLACE_STATUSES = ['active', 'suspended'] as const;
export type MarketplaceStatus = (typeof MARKETPLACE_STATUSES)[number];

/** What governance names when it registers a marketplace. */
export interface MarketplaceSpec {
  readonly name: Marketplace;
  readonly mspId: string;
}

export interface MarketplaceEntry extends MarketplaceSpec {
  readonly status: MarketplaceStatus;
  readonly registeredAt: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface MarketplaceRegistry {
  readonly docType: 'marketplaceRegistry';
  /** Sorted by name. */
  readonly marketplaces: readonly MarketplaceEntry[];
  /** Null only in the answer of a channel whose founding marketplaces were never registered. */
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

/** What readMarketplaces answers before the founding registration. */
export const UNREGISTERED: MarketplaceRegistry = {
  docType: 'marketplaceRegistry',
  marketplaces: [],
  updatedAt: null,
  updatedBy: null,
};

export const MAX_MARKETPLACES = 64;
export const MARKETPLACE_SPECS_BYTES = 8_192;

/** Who changed the registry when: the transaction time and `userId@organization`. */
export interface RegistryChange {
  readonly at: string;
  readonly by: string;
}

function readSpec(value: unknown, field: string): MarketplaceSpec {
  const record = requireObject(value, field);
  const name = requireText(record.name, `${field}.name`, 64);
  if (!isMarketplace(name)) throw new InvalidInputError(`${field}.name is not a marketplace name`);
  const mspId = requireText(record.mspId, `${field}.mspId`, 64);
  if (mspId !== mspIdOf(name)) throw new InvalidInputError(`${field}.mspId must be ${mspIdOf(name)}`);
  return { name, mspId };
}

/** One marketplace: `{ "name": "MarketC", "mspId": "MarketCMSP" }`. */
export function parseMarketplaceSpec(text: string): MarketplaceSpec {
  return readSpec(parseJson(text, 'marketplace', MARKETPLACE_SPECS_BYTES), 'marketplace');
}

/** The founding list: a JSON array of specs, at least one, names and MSP IDs unique. */
export function parseMarketplaceSpecs(text: string): MarketplaceSpec[] {
  const list = requireArray(
    parseJson(text, 'marketplaces', MARKETPLACE_SPECS_BYTES),
    'marketplaces',
    MAX_MARKETPLACES,
  );
  if (list.length === 0) throw new InvalidInputError('marketplaces must name at least one marketplace');
  const specs = list.map((value, index) => readSpec(value, `marketplaces[${index}]`));
  if (new Set(specs.map((spec) => spec.name)).size !== specs.length)
    throw new InvalidInputError('marketplaces names a marketplace twice');
  return specs;
}

function byName(left: MarketplaceEntry, right: MarketplaceEntry): number {
  return left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
}

function registryOf(entries: readonly MarketplaceEntry[], change: RegistryChange): MarketplaceRegistry {
  return {
    docType: 'marketplaceRegistry',
    marketplaces: [...entries].sort(byName),
    updatedAt: change.at,
    updatedBy: change.by,
  };
}

function newEntry(spec: MarketplaceSpec, change: RegistryChange): MarketplaceEntry {
  return {
    name: spec.name,
    mspId: spec.mspId,
    status: 'active',
    registeredAt: change.at,
    updatedAt: change.at,
    updatedBy: change.by,
  };
}

export function foundingRegistry(
  specs: readonly MarketplaceSpec[],
  change: RegistryChange,
): MarketplaceRegistry {
  return registryOf(
    specs.map((spec) => newEntry(spec, change)),
    change,
  );
}

export function withMarketplace(
  registry: MarketplaceRegistry,
  spec: MarketplaceSpec,
  change: RegistryChange,
): MarketplaceRegistry {
  if (registry.marketplaces.some((entry) => entry.name === spec.name || entry.mspId === spec.mspId))
    throw new MarketplaceExistsError(`marketplace ${spec.name} (${spec.mspId}) is already registered`);
  if (registry.marketplaces.length >= MAX_MARKETPLACES)
    throw new InvalidInputError(`the registry holds at most ${MAX_MARKETPLACES} marketplaces`);
  return registryOf([...registry.marketplaces, newEntry(spec, change)], change);
}

export function marketplaceEntry(registry: MarketplaceRegistry, name: string): MarketplaceEntry | undefined {
  return registry.marketplaces.find((entry) => entry.name === name);
}

export function entryOfMspId(registry: MarketplaceRegistry, mspId: string): MarketplaceEntry | undefined {
  return registry.marketplaces.find((entry) => entry.mspId === mspId);
}

/**
 * A marketplace a trade may start with: registered and active. A suspended one takes no new
 * obligations (no new trade, no acceptance), whoever asks.
 */
export function requireTradingMarketplace(
  registry: MarketplaceRegistry | undefined,
  name: Marketplace,
  field: string,
): void {
  if (registry === undefined)
    throw new MarketplacesNotRegisteredError(
      `${field} ${name}: no marketplace is registered on the channel yet`,
    );
  const entry = marketplaceEntry(registry, name);
  if (entry === undefined) throw new InvalidInputError(`${field} is not a known marketplace`);
  if (entry.status === 'suspended')
    throw new MarketplaceSuspendedError(name, `is suspended: ${field} may not trade`);
}

/** The first of an escrow's marketplaces that governance suspended, if any. */
export function suspendedMarketplaceOf(
  registry: MarketplaceRegistry | undefined,
  parties: {
    readonly buyer: { readonly marketplace: Marketplace };
    readonly seller: { readonly marketplace: Marketplace };
  },
): Marketplace | undefined {
  return [parties.buyer.marketplace, parties.seller.marketplace].find(
    (name) => registry !== undefined && marketplaceEntry(registry, name)?.status === 'suspended',
  );
}

/** Suspends or reinstates a marketplace; asking for the status it already has is INVALID_STATE. */
export function withStatus(
  registry: MarketplaceRegistry,
  name: string,
  status: MarketplaceStatus,
  change: RegistryChange,
): MarketplaceRegistry {
  const entry = marketplaceEntry(registry, name);
  if (entry === undefined) throw new MarketplaceNotFoundError(name);
  if (entry.status === status)
    throw new InvalidStateError(status === 'suspended' ? 'suspend' : 'reinstate', entry.status);
  const changed: MarketplaceEntry = { ...entry, status, updatedAt: change.at, updatedBy: change.by };
  return registryOf(
    registry.marketplaces.map((candidate) => (candidate.name === name ? changed : candidate)),
    change,
  );
}

function readEntry(value: unknown, field: string): MarketplaceEntry {
  const record = requireObject(value, field);
  return {
    ...readSpec(record, field),
    status: requireOneOf(record.status, `${field}.status`, MARKETPLACE_STATUSES),
    registeredAt: requireText(record.registeredAt, `${field}.registeredAt`, 64),
    updatedAt: requireText(record.updatedAt, `${field}.updatedAt`, 64),
    updatedBy: requireText(record.updatedBy, `${field}.updatedBy`, 200),
  };
}

/** Reads the stored record (or readMarketplaces' result); anything malformed is CORRUPT_STATE. */
export function marketplaceRegistryFromBytes(bytes: Uint8Array): MarketplaceRegistry {
  try {
    const record = requireObject(fromStateBytes(bytes), 'marketplaceRegistry');
    if (record.docType !== 'marketplaceRegistry')
      throw new CorruptStateError('docType is not marketplaceRegistry');
    const entries = requireArray(record.marketplaces, 'marketplaces', MAX_MARKETPLACES).map((value, index) =>
      readEntry(value, `marketplaces[${index}]`),
    );
    if (entries.length === 0 && record.updatedAt === null && record.updatedBy === null) return UNREGISTERED;
    return registryOf(entries, {
      at: requireText(record.updatedAt, 'updatedAt', 64),
      by: requireText(record.updatedBy, 'updatedBy', 200),
    });
  } catch (error) {
    if (error instanceof CorruptStateError) throw error;
    const detail = error instanceof EscrowError ? error.message : 'not JSON';
    throw new CorruptStateError(`stored marketplace registry is malformed: ${detail}`);
  }
}
