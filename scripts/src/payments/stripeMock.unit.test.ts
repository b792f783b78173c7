import { expect } from 'chai';
import { cacheDir, repoRoot } from '../env/paths';
import { portPlan } from '../env/portPlan';
import { readVersions } from '../env/versions';
import { stripeMockDaemon } from './stripeMock';

describe('the stripe-mock daemon', () => {
  it("serves plain HTTP on loopback only, on the port plan's port", () => {
    const daemon = stripeMockDaemon();
    // Without -http-addr stripe-mock would listen on every interface, HTTP and HTTPS.
    expect(daemon.args).to.deep.equal(['-http-addr', `127.0.0.1:${portPlan.stripeMock.http}`]);
    expect(daemon.ports).to.deep.equal([portPlan.stripeMock.http]);
    expect(daemon.health).to.deep.include({ kind: 'http', expectStatus: 401 });
  });

  it('runs the binary the installer built for the pinned version', () => {
    const version = readVersions(repoRoot).STRIPE_MOCK_VERSION;
    expect(stripeMockDaemon().command).to.equal(`${cacheDir}/stripe-mock-${version}/bin/stripe-mock`);
  });
});
