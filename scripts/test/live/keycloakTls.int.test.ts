// Keycloak serves HTTPS only: the realm's issuer and key set are on https URLs with a certificate of
// the local CA, its management port (health) is on TLS too, and its port answers no plain HTTP.
import { expect } from 'chai';
import { endpoint, keycloakUrl, portPlan, realmOrgs, realmUrlOf } from '@p2p-escrow/scripts';
import { jwksUrlOf, localFetch } from '@p2p-escrow/testkit';

async function plainHttpAnswer(url: string): Promise<number | Error> {
  return fetch(url.replace(/^https:/, 'http:')).then(
    (response) => response.status,
    (error: unknown) => error as Error,
  );
}

describe('Keycloak over TLS', function () {
  this.timeout(30_000);

  it("serves each org's realm key set over HTTPS to a client trusting the local CA", async () => {
    for (const org of realmOrgs) {
      const realmUrl = realmUrlOf(org);
      expect(realmUrl).to.match(/^https:/);
      const response = await localFetch(jwksUrlOf(org));
      expect(response.status).to.equal(200);
      const { keys } = (await response.json()) as { keys: { kid?: string }[] };
      expect(keys.length).to.be.greaterThan(0);
      const discovery = await localFetch(`${realmUrl}/.well-known/openid-configuration`);
      expect(((await discovery.json()) as { issuer?: string }).issuer).to.equal(realmUrl);
    }
  });

  it('gives no answer to plain HTTP on its port', async () => {
    expect(await plainHttpAnswer(`${keycloakUrl}/realms/master`)).to.be.instanceOf(Error);
  });

  it('reports its health over TLS on the management port', async () => {
    const health = await localFetch(`https://${endpoint(portPlan.keycloak.management)}/health/ready`);
    expect(health.status).to.equal(200);
  });
});
