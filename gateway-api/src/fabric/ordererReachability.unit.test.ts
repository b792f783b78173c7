// The orderer reachability probe without a network: an orderer whose org has no TLS CA in the
// configuration cannot be verified, and an address nothing listens on is reported unreachable within
// the timeout, never thrown. A live orderer (and one checked against the wrong CA) is in
// routes/consortium/consortium.e2e.test.ts.
import { expect } from 'chai';
import * as net from 'node:net';
import { reachOrderer } from './ordererReachability';

const pem = '-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n';

/** A loopback port that was free a moment ago (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return port;
}

describe('gateway orderer reachability probe', () => {
  it('reports an orderer whose org states no TLS CA, without dialling it', async () => {
    expect(
      await reachOrderer({ mspId: 'OrdererMSP', address: '127.0.0.1:1', tlsRootCertificates: [] }),
    ).to.deep.equal({
      mspId: 'OrdererMSP',
      address: '127.0.0.1:1',
      handshakeMs: null,
      detail: 'the configuration holds no TLS CA certificate for its org',
    });
  });

  it('reports an address nothing listens on as unreachable once the timeout passes', async () => {
    const address = `127.0.0.1:${String(await closedPort())}`;
    const reach = await reachOrderer({ mspId: 'OrdererMSP', address, tlsRootCertificates: [pem] }, 300);
    expect(reach).to.include({ mspId: 'OrdererMSP', address, handshakeMs: null });
    expect(reach.detail).to.match(/^no TLS handshake within 300 ms \(/);
  });
});
