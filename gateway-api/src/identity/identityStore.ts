// Where enrolled Fabric identities are kept, sealed. The PostgreSQL adapter lives in store/.
import type { SealedRecord } from './sealedBox';

export interface StoredIdentity {
  readonly identityKey: string;
  readonly mspId: string;
  readonly sealed: SealedRecord;
  readonly enrolledAt: Date;
}

export interface IdentityStore {
  find(identityKey: string): Promise<StoredIdentity | undefined>;
  save(identity: StoredIdentity): Promise<void>;
}
