import { expect } from 'chai';
import * as net from 'node:net';
import { describeDaemonHealth, probeDaemon } from './health';
import type { HealthCheck } from './serviceSpec';

const alwaysHealthy: HealthCheck = { kind: 'command', command: 'true', args: [] };

/** A port that accepts connections while the returned server listens. */
async function listening(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

describe('daemon health', () => {
  it('is not healthy while an endpoint a later step uses is closed, though its health check passes', async () => {
    const endpoint = await listening();
    const daemon = { health: alwaysHealthy, listeners: [{ host: '127.0.0.1', port: endpoint.port }] };
    expect(await probeDaemon(daemon)).to.equal(true);
    await endpoint.close();
    expect(await probeDaemon(daemon)).to.equal(false);
  });

  it('names every endpoint it waits for', () => {
    const daemon = { health: alwaysHealthy, listeners: [{ host: '127.0.0.1', port: 7253 }] };
    expect(describeDaemonHealth(daemon)).to.equal('true + tcp 127.0.0.1:7253');
  });
});
