// Readiness tells the truth, on the live stack: while the mirror is stopped the relay, the notifier
// and the keeper stay alive (/healthz 200) but answer /readyz 503 saying the mirror is not advancing;
// once the mirror runs again they are ready again. Locally the tolerance is 6 s (P2P_MIRROR_MAX_LAG_MS).
import { keeperOpsUrl, notifierOpsUrl, relayOpsUrl } from '@p2p-escrow/scripts';
import { ensureDaemons, liveRunner, waitForReadiness } from '@p2p-escrow/testkit';
import { expect } from 'chai';

const DOWNSTREAM = [relayOpsUrl, notifierOpsUrl, keeperOpsUrl];

describe('readiness of the daemons downstream of the mirror', function () {
  this.timeout(300_000);
  const runner = liveRunner();

  before(async () => {
    await ensureDaemons(['mirror', 'outbox-relay', 'notifier', 'keeper'], runner);
  });

  after(async () => {
    await ensureDaemons(['mirror'], runner);
  });

  it('answers /readyz 503 naming the stalled mirror while it does not advance, and 200 once it does', async () => {
    await waitForReadiness(DOWNSTREAM, 200);

    await runner.stop(['mirror']);
    const stalled = await waitForReadiness(DOWNSTREAM, 503);
    for (const answer of stalled)
      expect(String(answer.body['mirror']), answer.url).to.match(
        /^mirror not advancing: marketplace: the mirror has not reported for \d+s$/,
      );
    for (const url of DOWNSTREAM) {
      const live = await fetch(`${url}/healthz`);
      expect(live.status, url).to.equal(200);
    }

    await ensureDaemons(['mirror'], runner);
    const ready = await waitForReadiness(DOWNSTREAM, 200);
    for (const answer of ready) expect(String(answer.body['mirror']), answer.url).to.match(/checkpoint \d+/);
  });
});
