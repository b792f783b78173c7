// Where an org's gateway finds its identity provider: the local Keycloak of this state directory
// (the demo side by side), or a Keycloak on another host that the org's operator names with
// `org start --identity-provider <url> --identity-provider-ca <file>` (P2P_IDENTITY_PROVIDER_URL
// and P2P_IDENTITY_PROVIDER_CA for the runner); the CA file is the provider's public TLS root.
import { keycloakUrl } from './keycloak';
import { realmNameOf } from './realm';
import { serviceTlsCaFile } from './serviceTls';

export interface IdentityProvider {
  /** Keycloak's base URL, e.g. https://10.0.0.30:18443. */
  url: string;
  /** The TLS root its certificate chains to. */
  caFile: string;
}

/** The identity provider the runner's environment names, else the local Keycloak. */
export function identityProviderOf(env: NodeJS.ProcessEnv = process.env): IdentityProvider {
  const url = env['P2P_IDENTITY_PROVIDER_URL'];
  const caFile = env['P2P_IDENTITY_PROVIDER_CA'];
  if (url === undefined || url === '') return { url: keycloakUrl, caFile: serviceTlsCaFile };
  if (caFile === undefined || caFile === '')
    throw new Error('P2P_IDENTITY_PROVIDER_URL needs P2P_IDENTITY_PROVIDER_CA, the provider’s TLS root');
  return { url: url.replace(/\/+$/, ''), caFile };
}

/** The issuer of `org`'s realm at `provider`: the only issuer that org's gateway trusts. */
export function issuerAt(provider: IdentityProvider, org: string): string {
  return `${provider.url}/realms/${realmNameOf(org)}`;
}

/** The runner's environment naming `provider` (what `org start --identity-provider` passes on). */
export function identityProviderEnvironment(provider: IdentityProvider): Record<string, string> {
  return { P2P_IDENTITY_PROVIDER_URL: provider.url, P2P_IDENTITY_PROVIDER_CA: provider.caFile };
}
