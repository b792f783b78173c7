// `identity-provider realm add <Org>`: the realm of a marketplace that joined the channel after the
// identity provider started (whose import folder held the founding orgs' realms only), created on
// the running Keycloak through its admin API from the same template, with the org's backend client
// and its buyers' and sellers' accounts. Its secrets are generated under the provider's state
// directory, named as the founding orgs' are; a realm that exists is left as it is.
import { secretsDir, namedSecret } from '../env/stateSecret';
import { keycloakUrl } from '../platform/keycloak';
import {
  createRealm,
  hasKeycloakAdmin,
  keycloakAdminPasswordFile,
  keycloakAdminToken,
  realmExists,
} from '../platform/keycloakAdmin';
import { joiningOrgRealm, realmNameOf, realmTemplate, type JoiningOrg } from '../platform/realm';
import { EXIT_USAGE, OperatorError } from './operatorError';

export interface RealmAddOutcome {
  realm: string;
  /** The realm's issuer: what the org's gateway is told to trust. */
  issuer: string;
  created: boolean;
  /** Where its backend's secret and its users' passwords are. */
  secrets: string;
}

export async function addJoiningOrgRealm(
  org: JoiningOrg,
  progress: (line: string) => void,
): Promise<RealmAddOutcome> {
  if (!hasKeycloakAdmin())
    throw new OperatorError(
      'IDENTITY_PROVIDER_NOT_STARTED',
      `no admin password at ${keycloakAdminPasswordFile}: name the state directory \`identity-provider start\` ran from`,
      EXIT_USAGE,
    );
  const realm = realmNameOf(org.name);
  const outcome = { realm, issuer: `${keycloakUrl}/realms/${realm}`, secrets: secretsDir };
  progress(`signing in to the identity provider at ${keycloakUrl} as its admin`);
  const token = await keycloakAdminToken();
  if (await realmExists(token, realm)) return { ...outcome, created: false };
  progress(`creating realm ${realm}: ${org.name}'s backend client and its buyers' and sellers' accounts`);
  const created = await createRealm(token, joiningOrgRealm(realmTemplate(), org, namedSecret));
  return { ...outcome, created };
}
