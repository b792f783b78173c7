// The local payment provider for the payments tests: stripe-mock running under the runner (started
// here when it is down), and the P2P_STRIPE_* settings that reach it.
import { stripeEnvironment, stripeMockServiceName } from '@p2p-escrow/scripts';
import { liveRunner } from '../stack/liveNetwork';

export interface StripeMockSession {
  /** The P2P_STRIPE_* settings of the local provider, as the runner gives them to a payments service. */
  readonly env: Record<string, string>;
  /** Stops stripe-mock if this session started it; one that was already running is left alone. */
  release(): Promise<void>;
}

/** Makes sure stripe-mock is up (healthy), starting it through the runner if it is not. */
export async function ensureStripeMock(): Promise<StripeMockSession> {
  const runner = liveRunner();
  const daemon = runner.spec(stripeMockServiceName);
  if (daemon.kind !== 'daemon') throw new Error(`${stripeMockServiceName} is not a daemon`);
  const startedHere = !(await runner.isHealthy(daemon)) && (await runner.start([stripeMockServiceName])) > 0;
  return {
    env: stripeEnvironment(),
    release: async () => {
      if (startedHere) await runner.stop([stripeMockServiceName]);
    },
  };
}
