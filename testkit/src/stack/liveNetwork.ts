// Test support for the live network: the runner over the system's service list, and waits that
// follow the ledger (block events) instead of sleeping.
import type { Gateway } from '@hyperledger/fabric-gateway';
import { channelName, osnadmin, Runner, systemServices, type Progress } from '@p2p-escrow/scripts';

const quiet: Progress = () => undefined;

export function liveRunner(): Runner {
  return new Runner(systemServices(), quiet);
}

/**
 * The named daemons running for a test: relaunched alone when the stack below them runs (a test
 * stopped or killed them), else started with everything they need. A full start re-runs every setup
 * step under them (the migrations, the chaincode deployment): many seconds on a loaded machine.
 */
export async function ensureDaemons(names: string[], runner = liveRunner()): Promise<void> {
  await runner.restore(names);
}

/** How often a daemon is probed before it is taken for down: one probe can outlast its timeout under load. */
const PROBES_BEFORE_DOWN = 3;

/**
 * Fails fast with a clear message when a daemon is not healthy: every daemon of the system, or only
 * the named ones (npm test starts the stack before the live tiers). A daemon is down when
 * PROBES_BEFORE_DOWN probes in a row fail, not one: on two loaded cores a healthy orderer's operations
 * endpoint can take longer than a probe waits.
 */
export async function requireRunningNetwork(only?: readonly string[]): Promise<Runner> {
  const runner = liveRunner();
  const daemons = only === undefined ? runner.daemons() : only.map((name) => runner.spec(name));
  const down: string[] = [];
  for (const daemon of daemons) {
    if (daemon.kind !== 'daemon') throw new Error(`${daemon.name} is a setup task, not a daemon`);
    let healthy = false;
    for (let probe = 0; probe < PROBES_BEFORE_DOWN && !healthy; probe += 1)
      healthy = await runner.isHealthy(daemon);
    if (!healthy) down.push(daemon.name);
  }
  if (down.length > 0)
    throw new Error(`the stack is not running (${down.join(', ')} down): run \`npm start\` first`);
  return runner;
}

/** Resolves once `gateway`'s peer has committed block `blockNumber` (waits on its block events). */
export async function waitForBlock(gateway: Gateway, blockNumber: bigint): Promise<void> {
  const network = gateway.getNetwork(channelName);
  const events = await network.getBlockEvents({ startBlock: blockNumber });
  try {
    for await (const block of events) {
      if ((block.getHeader()?.getNumber() ?? -1) >= Number(blockNumber)) return;
    }
  } finally {
    events.close();
  }
}

/** The orderer's height of the channel, from its channel participation API. */
export async function ordererHeight(node: string): Promise<number> {
  const output = await osnadmin(node, ['list', '--channelID', channelName]);
  // osnadmin prints a "Status: 200" line before the JSON body.
  const info = JSON.parse(output.slice(output.indexOf('{'))) as { height: number };
  return info.height;
}
