// Finds the Fabric identity a gateway user signs with, enrolling it at the org's CA on first use.
// Credentials are sealed (AES-256-GCM) in the identity store; decrypted ones stay only in memory.
// Concurrent first calls for one identity share a single enrollment: in one process through a shared
// promise, across replicas through the store's exclusive section.
import { isOrganizationName, isRole, roleAllowedIn } from '@p2p-escrow/chaincode';
import { open, seal, sealingContext, type KeyProvider } from '@p2p-escrow/fabric-client';
import { ForbiddenError } from '../errors/apiError';
import type { LedgerCaller } from '../fabric/gatewayCache';
import type { EnrolledCredentials, Enroller } from './caEnroller';
import { identityKeyOf, type FabricRoleIdentity } from './fabricRoleIdentity';
import type { IdentityStore, StoredIdentity } from './identityStore';

export interface EnrollmentAudit {
  enrolled(identity: FabricRoleIdentity, mspId: string): void;
}

export class IdentityResolver {
  readonly #inMemory = new Map<string, LedgerCaller>();
  readonly #inFlight = new Map<string, Promise<LedgerCaller>>();

  /** `organization`: the one org the gateway acts for; it resolves that org's identities only. */
  constructor(
    private readonly organization: string,
    private readonly store: IdentityStore,
    private readonly enroller: Enroller,
    private readonly keys: KeyProvider,
    private readonly audit: EnrollmentAudit,
    private readonly maxCached = 1_000,
  ) {}

  resolve(identity: FabricRoleIdentity): Promise<LedgerCaller> {
    try {
      requireIssuedBy(this.organization, identity);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const identityKey = identityKeyOf(identity);
    const cached = this.#inMemory.get(identityKey);
    if (cached !== undefined) return Promise.resolve(cached);
    let pending = this.#inFlight.get(identityKey);
    if (pending === undefined) {
      pending = this.load(identity, identityKey).finally(() => this.#inFlight.delete(identityKey));
      this.#inFlight.set(identityKey, pending);
    }
    return pending;
  }

  private async load(identity: FabricRoleIdentity, identityKey: string): Promise<LedgerCaller> {
    const credentials =
      (await this.stored(identityKey)) ??
      (await this.store.exclusive(identityKey, async () => {
        // Another replica may have enrolled the identity while this one waited.
        const raced = await this.stored(identityKey);
        if (raced !== undefined) return raced;
        const enrolled = await this.enroller.enroll(identity);
        const plaintext = Buffer.from(JSON.stringify(enrolled), 'utf8');
        const sealed = await seal(this.keys, plaintext, sealingContext('fabric-identity', identityKey));
        await this.store.save({ identityKey, mspId: enrolled.mspId, sealed, enrolledAt: new Date() });
        this.audit.enrolled(identity, enrolled.mspId);
        return enrolled;
      }));
    const caller: LedgerCaller = { org: identity.org, identityKey, credentials };
    if (this.#inMemory.size >= this.maxCached) {
      const oldest = this.#inMemory.keys().next().value;
      if (oldest !== undefined) this.#inMemory.delete(oldest);
    }
    this.#inMemory.set(identityKey, caller);
    return caller;
  }

  private async stored(identityKey: string): Promise<EnrolledCredentials | undefined> {
    const stored = await this.store.find(identityKey);
    if (stored === undefined) return undefined;
    return JSON.parse((await this.opened(stored)).toString('utf8')) as EnrolledCredentials;
  }

  /**
   * Opens a stored identity. A record sealed before the `fabric-identity:` context existed is bound to
   * the bare identity key: it opens under that key alone and is sealed again in the current form.
   */
  private async opened(stored: StoredIdentity): Promise<Buffer> {
    const context = sealingContext('fabric-identity', stored.identityKey);
    try {
      return await open(this.keys, stored.sealed, context);
    } catch (error) {
      const legacy = await open(this.keys, stored.sealed, stored.identityKey).catch(() => undefined);
      if (legacy === undefined) throw error;
      await this.store.save({ ...stored, sealed: await seal(this.keys, legacy, context) });
      return legacy;
    }
  }
}

/**
 * A gateway signs only as its own org's users, and only in the roles its org issues (the chaincode's
 * table: no arbiter at a marketplace, no buyer at Oversight), before it looks for or enrolls anything.
 */
export function requireIssuedBy(organization: string, identity: FabricRoleIdentity): void {
  if (identity.org !== organization)
    throw new ForbiddenError(
      'ORGANIZATION_NOT_SERVED',
      `this gateway acts for ${organization} only, not for ${identity.org}`,
      { organization },
    );
  if (
    !isOrganizationName(organization) ||
    !isRole(identity.role) ||
    !roleAllowedIn(identity.role, organization)
  )
    throw new ForbiddenError('ROLE_NOT_ISSUED', `${organization} does not issue the role ${identity.role}`, {
      organization,
      role: identity.role,
    });
}
