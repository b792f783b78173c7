// The test's hosts: one network namespace per host, each with its own address on a bridge the test
// creates and removes (p2pmh0, 10.88.0.0/24; the bridge's own address lets the test's clients reach
// the hosts as an application would). Loopback is never used between orgs. A host's link is the
// bridge-side end of its veth pair: setting it down cuts the host off, as a pulled cable would.
import { runCommand } from '@p2p-escrow/scripts';
import { execFileSync } from 'node:child_process';

export const BRIDGE = 'p2pmh0';
const BRIDGE_ADDRESS = '10.88.0.1/24';

export interface Host {
  /** The network namespace the host's processes run in. */
  namespace: string;
  address: string;
  /** The bridge-side end of the host's veth pair. */
  link: string;
}

export function hostOf(name: string, lastOctet: number): Host {
  return { namespace: `p2pmh-${name}`, address: `10.88.0.${String(lastOctet)}`, link: `p2pmh-${name}` };
}

function ip(...args: string[]): Promise<string> {
  return runCommand('ip', args, { timeoutMs: 10_000 });
}

async function addHost(host: Host): Promise<void> {
  const inner = `${host.link}i`;
  await ip('netns', 'add', host.namespace);
  await ip('-n', host.namespace, 'link', 'set', 'lo', 'up');
  await ip('link', 'add', host.link, 'type', 'veth', 'peer', 'name', inner);
  await ip('link', 'set', inner, 'netns', host.namespace);
  await ip('-n', host.namespace, 'addr', 'add', `${host.address}/24`, 'dev', inner);
  await ip('-n', host.namespace, 'link', 'set', inner, 'up');
  await ip('link', 'set', host.link, 'master', BRIDGE);
  await ip('link', 'set', host.link, 'up');
}

/** The bridge and every host on it; what a crashed earlier run left of them is removed first. */
export async function createHosts(hosts: readonly Host[]): Promise<void> {
  removeHosts(hosts);
  await ip('link', 'add', BRIDGE, 'type', 'bridge');
  await ip('addr', 'add', BRIDGE_ADDRESS, 'dev', BRIDGE);
  await ip('link', 'set', BRIDGE, 'up');
  for (const host of hosts) await addHost(host);
}

/** Removes the hosts and the bridge (synchronous, so an exit handler can call it); absent ones are skipped. */
export function removeHosts(hosts: readonly Host[]): void {
  const quiet = (...args: string[]) => {
    try {
      execFileSync('ip', args, { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // Not there: nothing to remove.
    }
  };
  for (const host of hosts) {
    quiet('link', 'del', host.link);
    quiet('netns', 'del', host.namespace);
  }
  quiet('link', 'del', BRIDGE);
}

/** Cuts the host off the network (link down) or brings it back. */
export async function setLink(host: Host, up: boolean): Promise<void> {
  await ip('link', 'set', host.link, up ? 'up' : 'down');
}
