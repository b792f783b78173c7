// `org start` / `org stop`: one org's nodes on its own host, run by the service runner from the
// org's own state directory (its pids and logs there) and bound to the org's address. The runner is
// a child process because its code reads the state directory and host address when it is loaded
// (P2P_STATE_DIR, P2P_HOST_ADDRESS); P2P_ORG, P2P_ORG_NODES and P2P_ORG_PART narrow its list to the
// org's services.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../env/paths';
import { nodeAddress, readOrgAddresses } from '../network/orgAddresses';
import { orgMspDir, ordererOrg } from '../network/topology';
import { identityProviderEnvironment } from '../platform/identityProvider';
import { EXIT_USAGE, OperatorError } from './operatorError';

export interface OrgNodesRequest {
  org: string;
  root: string;
  /** The address to bind; by default the one `org init --address` recorded for these nodes. */
  address?: string;
  /** Orderers to run on this host (orderer org only); default: all of them. */
  nodes?: string[];
  /** The org's Fabric nodes alone, or its whole deployment (the default); `stop` stops what runs. */
  part?: 'nodes' | 'deployment';
  /** Keycloak on another host whose realm of this org its gateway trusts (default: the local one). */
  identityProvider?: string;
  /** That provider's public TLS root, as its operator sent it. */
  identityProviderCa?: string;
  progress: (line: string) => void;
}

const runnerMain = path.join(repoRoot, 'scripts', 'dist', 'cli.js');

/** The one address the requested nodes were given at `org init`; they must share it to run together. */
export function addressOfNodes(org: string, root: string, nodes: readonly string[] | undefined): string {
  const addresses = readOrgAddresses(org, root);
  if (org !== ordererOrg.name) return addresses.host;
  const distinct = [...new Set((nodes ?? ordererOrg.nodes).map((node) => nodeAddress(addresses, node)))];
  if (distinct.length !== 1)
    throw new OperatorError(
      'NODES_ON_SEVERAL_HOSTS',
      `the orderers named are on ${distinct.join(', ')}; start each host's orderers on that host (--node)`,
      EXIT_USAGE,
    );
  return distinct[0] ?? addresses.host;
}

/** The runner's environment naming the identity provider on another host, when the request names one. */
function identityProviderVariables(request: OrgNodesRequest): Record<string, string> {
  const { identityProvider: url, identityProviderCa: caFile } = request;
  if (url === undefined) return {};
  if (caFile === undefined)
    throw new OperatorError(
      'IDENTITY_PROVIDER_CA_MISSING',
      '--identity-provider needs --identity-provider-ca, the TLS root its operator sent',
      EXIT_USAGE,
    );
  return identityProviderEnvironment({ url, caFile: path.resolve(caFile) });
}

/** The runner's environment for this org's part alone. */
export function orgRunnerEnvironment(request: OrgNodesRequest): Record<string, string> {
  const { org, root, nodes } = request;
  return {
    P2P_STATE_DIR: root,
    P2P_HOST_ADDRESS: request.address ?? addressOfNodes(org, root, nodes),
    P2P_ORG: org,
    ...(nodes === undefined || nodes.length === 0 ? {} : { P2P_ORG_NODES: nodes.join(',') }),
    P2P_ORG_PART: request.part ?? 'deployment',
    ...identityProviderVariables(request),
  };
}

/** Runs the service runner (`start` or `stop`) with `env`; its output goes to our stderr as progress. */
export async function runRunner(command: 'start' | 'stop', env: Record<string, string>): Promise<number> {
  const child = spawn(process.execPath, [runnerMain, command], {
    env: { ...process.env, ...env },
    stdio: ['ignore', process.stderr, process.stderr],
  });
  return new Promise<number>((resolve) => {
    child.once('exit', (exitCode) => {
      resolve(exitCode ?? 1);
    });
  });
}

/** Runs the service runner for the org (`start` or `stop`); its output goes to our stderr as progress. */
export async function runOrgNodes(command: 'start' | 'stop', request: OrgNodesRequest): Promise<string> {
  const { org, root, progress } = request;
  if (!fs.existsSync(path.join(orgMspDir(org, root), 'config.yaml')))
    throw new OperatorError(
      'ORG_NOT_INITIALISED',
      `${root} holds no ${org}; run \`org init\` first`,
      EXIT_USAGE,
    );
  const env = orgRunnerEnvironment(request);
  progress(
    `${command === 'start' ? 'starting' : 'stopping'} ${org}'s nodes on ${env['P2P_HOST_ADDRESS'] ?? ''}`,
  );
  const code = await runRunner(command, env);
  if (code !== 0)
    throw new OperatorError(
      'ORG_NODES_FAILED',
      `${org}'s nodes did not ${command}; see the lines above and ${path.join(root, 'logs')}`,
    );
  return env['P2P_HOST_ADDRESS'] ?? '';
}
