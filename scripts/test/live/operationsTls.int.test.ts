// The Fabric nodes' operations endpoints speak TLS with a certificate of the local CA and ask every
// client for a certificate of that CA: a PUT /logspec (which changes what a node logs) without one is
// refused, and with the operations client certificate it takes effect. The level is restored after.
import { expect } from 'chai';
import { fetchOperations, operationsUrl, portPlan, portsOf } from '@p2p-escrow/scripts';
import { localFetch, requireFabricNetwork } from '@p2p-escrow/testkit';

const NODES = [
  { name: 'peer of MarketA', port: portsOf(portPlan.peer, 'MarketA').operations },
  { name: 'orderer1', port: portsOf(portPlan.orderer, 'orderer1').operations },
];

async function logSpec(port: number): Promise<string> {
  const response = await fetchOperations(port, '/logspec');
  expect(response.status).to.equal(200);
  return ((await response.json()) as { spec: string }).spec;
}

function putLogSpec(port: number, spec: string) {
  return fetchOperations(port, '/logspec', { method: 'PUT', body: JSON.stringify({ spec }) });
}

describe('Fabric operations endpoints: client TLS', function () {
  this.timeout(60_000);

  before(async () => {
    await requireFabricNetwork();
  });

  for (const { name, port } of NODES) {
    it(`${name}: refuses PUT /logspec without a client certificate`, async () => {
      const answer = await localFetch(operationsUrl(port, '/logspec'), {
        method: 'PUT',
        body: JSON.stringify({ spec: 'debug' }),
      }).then(
        (response) => response.status,
        (error: unknown) => error as Error,
      );
      expect(answer, 'an HTTP answer without a client certificate').to.be.instanceOf(Error);
    });

    it(`${name}: takes PUT /logspec from the operations client certificate`, async () => {
      const original = await logSpec(port);
      const changed = original === 'warn' ? 'info' : 'warn';
      try {
        expect((await putLogSpec(port, changed)).status).to.equal(204);
        expect(await logSpec(port)).to.equal(changed);
      } finally {
        await putLogSpec(port, original);
      }
      expect(await logSpec(port)).to.equal(original);
    });
  }
});
