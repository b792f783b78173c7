// `identity-provider start|stop`: the orgs' Keycloak on a host of its own, run by the service runner
// from the provider's own state directory (its database, realms, secrets and TLS root there) and
// bound to its address. Each org's operator then points its gateway at its realm there with
// `org start --identity-provider <url> --identity-provider-ca <file>`, the CA file sent like a bundle.
import * as path from 'node:path';
import { stateDir } from '../env/paths';
import { portPlan } from '../env/portPlan';
import { serviceTlsCaFile } from '../platform/serviceTls';
import { OperatorError } from './operatorError';
import { runRunner } from './orgNodes';

export interface IdentityProviderRequest {
  root: string;
  /** The address to bind (default: the port plan's host). */
  address?: string;
  progress: (line: string) => void;
}

/** The runner's environment for the identity provider's deployment alone. */
export function identityProviderRunnerEnvironment(request: IdentityProviderRequest): Record<string, string> {
  return {
    P2P_STATE_DIR: request.root,
    P2P_HOST_ADDRESS: request.address ?? portPlan.host,
    P2P_DEPLOYMENT: 'identity-provider',
  };
}

/** The provider's public TLS root in its state directory: the file its operator sends the orgs. */
export function identityProviderCaOf(root: string): string {
  return path.join(root, path.relative(stateDir, serviceTlsCaFile));
}

/** Starts or stops the identity provider; returns its base URL. */
export async function runIdentityProvider(
  command: 'start' | 'stop',
  request: IdentityProviderRequest,
): Promise<string> {
  const env = identityProviderRunnerEnvironment(request);
  const url = `https://${env['P2P_HOST_ADDRESS'] ?? ''}:${String(portPlan.keycloak.https)}`;
  request.progress(`${command === 'start' ? 'starting' : 'stopping'} the identity provider at ${url}`);
  if ((await runRunner(command, env)) !== 0)
    throw new OperatorError(
      'IDENTITY_PROVIDER_FAILED',
      `the identity provider did not ${command}; see the lines above and ${path.join(request.root, 'logs')}`,
    );
  return url;
}
