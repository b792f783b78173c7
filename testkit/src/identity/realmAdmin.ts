// Keycloak's admin REST API as the bootstrap admin of the master realm: tests add users to an org's
// realm (e.g. a misconfigured one, to prove a gateway refuses what that org does not issue).
import { keycloakAdminToken, keycloakUrl, localFetch, realmNameOf } from '@p2p-escrow/scripts';

export { keycloakAdminToken };

/** `org`'s realm's admin API, e.g. `${realmAdminApi('MarketA')}/users`. */
export function realmAdminApi(org: string): string {
  return `${keycloakUrl}/admin/realms/${realmNameOf(org)}`;
}

export interface RealmUserSpec {
  readonly username: string;
  readonly password: string;
  readonly roles: readonly string[];
  readonly marketplace: string;
  /** A TOTP secret (its UTF-8 bytes are the HMAC key, as Keycloak keeps it). */
  readonly totpSecret?: string;
}

/** Adds a user to `org`'s realm (partial import: roles, `marketplace` attribute, password, TOTP). */
export async function addRealmUser(org: string, user: RealmUserSpec): Promise<void> {
  const credentials: Record<string, unknown>[] = [
    { type: 'password', value: user.password, temporary: false },
  ];
  if (user.totpSecret !== undefined)
    credentials.push({
      type: 'otp',
      secretData: JSON.stringify({ value: user.totpSecret }),
      credentialData: JSON.stringify({
        subType: 'totp',
        digits: 6,
        counter: 0,
        period: 30,
        algorithm: 'HmacSHA1',
      }),
    });
  const response = await localFetch(`${realmAdminApi(org)}/partialImport`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await keycloakAdminToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      ifResourceExists: 'OVERWRITE',
      users: [
        {
          username: user.username,
          enabled: true,
          email: `${user.username}@${org.toLowerCase()}.example`,
          emailVerified: true,
          firstName: user.username,
          lastName: 'Test',
          attributes: { marketplace: [user.marketplace] },
          realmRoles: user.roles,
          credentials,
        },
      ],
    }),
  });
  if (!response.ok)
    throw new Error(
      `adding ${user.username} to ${org}'s realm: ${String(response.status)} ${await response.text()}`,
    );
}
