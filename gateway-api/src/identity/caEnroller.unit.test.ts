// The enroller against a CA that is not there: a closed port, and a port that accepts and never
// answers. Both are the CA being away, so the caller must get 503 DEPENDENCY_UNAVAILABLE naming it;
// a CA that answered and refused stays a plain error.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DependencyUnavailableError } from '../errors/dependencyFailure';
import type { OrgConfig } from '../config/gatewayConfig';
import { FabricCaEnroller } from './caEnroller';
import { isCaUnreachable } from './caUnavailable';

const BUYER = { org: 'MarketA', userId: 'buyer-1', role: 'buyer' };

async function listening(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listening(server);
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

function orgAt(port: number, dir: string): OrgConfig {
  const caTlsRootCertPath = path.join(dir, 'ca.pem');
  fs.writeFileSync(caTlsRootCertPath, 'no CA is reached in these cases\n');
  return {
    name: 'MarketA',
    mspId: 'MarketAMSP',
    peerEndpoint: '127.0.0.1:1',
    peerHostAlias: 'peer0.marketa',
    peerTlsRootCertPath: caTlsRootCertPath,
    caUrl: `https://127.0.0.1:${port}`,
    caName: 'ca-marketa',
    caTlsRootCertPath,
    registrar: { enrollmentId: 'gateway-registrar', secret: 'unused' },
  };
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('FabricCaEnroller with its CA away', function () {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-enroller-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 naming the Fabric CA when the CA refuses connections', async () => {
    const error = await refusal(new FabricCaEnroller(orgAt(await closedPort(), dir)).enroll(BUYER));
    expect(error).to.be.instanceOf(DependencyUnavailableError);
    expect(error).to.include({ status: 503, code: 'DEPENDENCY_UNAVAILABLE', dependency: 'fabric-ca' });
  });

  it('answers 503 naming the Fabric CA when the CA accepts and stays silent past the timeout', async function () {
    // fabric-ca-client's own connection timeout, 3 s by default, is what gives up here.
    this.timeout(15_000);
    const silent = net.createServer(() => undefined);
    const port = await listening(silent);
    try {
      const error = await refusal(new FabricCaEnroller(orgAt(port, dir)).enroll(BUYER));
      expect(error).to.be.instanceOf(DependencyUnavailableError);
      expect(error).to.include({ dependency: 'fabric-ca' });
    } finally {
      silent.close();
    }
  });

  it('leaves a CA that answered and refused a plain error', () => {
    const refused = new Error(
      "fabric-ca request enroll failed with errors [[ { code: 20, message: 'Authentication failure' } ]]",
    );
    expect(isCaUnreachable(refused)).to.equal(false);
    expect(
      isCaUnreachable(new Error('fabric-ca request register failed with HTTP status code 503')),
    ).to.equal(true);
    expect(
      isCaUnreachable(new Error('fabric-ca request register failed with HTTP status code 401')),
    ).to.equal(false);
  });
});
