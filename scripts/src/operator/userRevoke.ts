// `user revoke`: revokes a compromised identity at its org's CA (fabric-ca-client revoke, then gencrl)
// and puts the CA's new CRL into the org's MSP in the channel configuration, so every peer refuses the
// identity's next transaction. The channel update needs the org's admins (they guard its MSP) and a
// majority of the orgs' admins (the channel's Application Admins policy).
import { revokeAtCa, type RevocationReason } from '../network/certificateAuthority';
import { updateChannelConfig } from '../network/channelUpdate';
import { adminIdentityId } from '../network/fabricCli';
import { revocationListOf, withRevocationList } from '../network/mspRevocation';
import type { PeerOrgSpec } from '../network/topology';
import { EXIT_USAGE, OperatorError } from './operatorError';

export interface UserRevocation {
  org: PeerOrgSpec;
  enrollmentId: string;
  reason: RevocationReason;
  progress: (line: string) => void;
}

/** The identities the revocation itself acts as: revoking them would lock the operator out. */
export function assertRevocable(org: PeerOrgSpec, enrollmentId: string): void {
  const own = [adminIdentityId(org), 'registrar'];
  if (own.includes(enrollmentId))
    throw new OperatorError(
      'IDENTITY_NOT_REVOCABLE',
      `${enrollmentId} signs ${org.name}'s revocations and channel updates; it cannot revoke itself`,
      EXIT_USAGE,
    );
}

export async function revokeUser(revocation: UserRevocation): Promise<void> {
  const { org, enrollmentId, reason, progress } = revocation;
  assertRevocable(org, enrollmentId);
  progress(`revoking ${enrollmentId} at ${org.name}'s CA (${reason}) and generating its CRL`);
  const crl = await revokeAtCa(org.name, enrollmentId, reason);
  await updateChannelConfig({
    description: `${org.name}'s MSP gets its CA's new CRL`,
    readAs: org,
    change: (config) => withRevocationList(config, org.name, crl),
    requiredSigners: [org.name],
    isApplied: (config) => revocationListOf(config, org.name).includes(crl),
    progress,
  });
}
