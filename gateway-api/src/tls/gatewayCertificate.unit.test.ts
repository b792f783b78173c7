import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gatewayCertificateNames, prepareGatewayTls } from './gatewayCertificate';

describe("the gateway's HTTPS certificate", function () {
  this.timeout(20_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-certificate-'));
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the loopback names, the bind host and the configured names', () => {
    const tls = { dir, names: ['gateway', 'gateway.marketa.svc.cluster.local', '10.96.0.7'] };
    expect(gatewayCertificateNames({ host: '0.0.0.0', tls })).to.deep.equal([
      'localhost',
      '127.0.0.1',
      '0.0.0.0',
      ...tls.names,
    ]);
    const issued = prepareGatewayTls({ host: '0.0.0.0', port: 18000, tls });
    const certificate = new crypto.X509Certificate(issued?.certPem ?? '');
    expect(certificate.checkHost('gateway.marketa.svc.cluster.local')).to.equal(
      'gateway.marketa.svc.cluster.local',
    );
    expect(certificate.checkHost('gateway')).to.equal('gateway');
    expect(certificate.checkIP('10.96.0.7')).to.equal('10.96.0.7');
    expect(certificate.checkHost('localhost')).to.equal('localhost');
  });

  it('issues none when the gateway serves plain HTTP', () => {
    expect(prepareGatewayTls({ host: '127.0.0.1', port: 18000, tls: null })).to.equal(undefined);
  });
});
