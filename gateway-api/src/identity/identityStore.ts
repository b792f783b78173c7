// Where enrolled Fabric identities are kept, sealed. The PostgreSQL adapter lives in store/.
import type { SealedRecord } from '@p2p-escrow/fabric-client';

export interface StoredIdentity {
  readonly identityKey: string;
  readonly mspId: string;
  readonly sealed: SealedRecord;
  readonly enrolledAt: Date;
}

export interface IdentityStore {
  find(identityKey: string): Promise<StoredIdentity | undefined>;
  save(identity: StoredIdentity): Promise<void>;
  /**
   * Runs `work` while no other gateway replica runs work for the same identity. Enrolling resets the
   * identity's secret at the CA, so two replicas enrolling one user at once would fail each other.
   */
  exclusive<T>(identityKey: string, work: () => Promise<T>): Promise<T>;
}
