// The running stack, healthy, before a long run starts: on a loaded two-core box one health probe may
// time out, so each daemon gets a minute to answer before the run refuses to start.
import { requireRunningNetwork } from '@p2p-escrow/testkit';

export async function healthyStack(
  timeoutMs = 60_000,
): Promise<Awaited<ReturnType<typeof requireRunningNetwork>>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await requireRunningNetwork();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}
