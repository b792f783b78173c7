import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CertificateNameError,
  isCertificateName,
  prepareClientTls,
  prepareServerTls,
  readServerTls,
} from './localTls';

describe('local TLS certificates', function () {
  this.timeout(20_000);
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-tls-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('issues a loopback server certificate signed by the local CA, keys readable by the owner only', () => {
    const tls = prepareServerTls(dir, ['localhost', '127.0.0.1'], '18000');
    const ca = new crypto.X509Certificate(tls.caCertPem);
    const server = new crypto.X509Certificate(tls.certPem);
    expect(ca.ca).to.equal(true);
    expect(server.ca).to.equal(false);
    expect(server.verify(ca.publicKey)).to.equal(true);
    expect(server.checkIP('127.0.0.1')).to.equal('127.0.0.1');
    expect(server.checkHost('localhost')).to.equal('localhost');
    expect(
      crypto.createPublicKey(crypto.createPrivateKey(tls.keyPem)).export({ format: 'jwk' }),
    ).to.deep.equal(server.publicKey.export({ format: 'jwk' }));
    for (const key of ['ca/ca-key.pem', 'server-18000-key.pem'])
      expect(fs.statSync(path.join(dir, key)).mode & 0o077).to.equal(0);
  });

  it("carries a Kubernetes Service's DNS names and more IP addresses besides the loopback ones", () => {
    const names = ['gateway', 'gateway.marketa.svc', 'gateway.marketa.svc.cluster.local', '10.96.0.7'];
    const server = new crypto.X509Certificate(
      prepareServerTls(dir, ['localhost', '127.0.0.1', ...names], '18000').certPem,
    );
    for (const name of names.slice(0, 3)) expect(server.checkHost(name), name).to.equal(name);
    expect(server.checkIP('10.96.0.7')).to.equal('10.96.0.7');
    expect(server.checkHost('gateway.marketb.svc')).to.equal(undefined);
  });

  it('refuses, before writing anything, a name that is neither a DNS name nor an IP address', () => {
    for (const bad of ['gate_way', '-gateway', 'a..b', '*.example', '999.1.1.1', 'a b', ''])
      expect(isCertificateName(bad), bad).to.equal(false);
    expect(() => prepareServerTls(dir, ['localhost', 'gate_way', '999.1.1.1'], 'x'))
      .to.throw(CertificateNameError, '"gate_way", "999.1.1.1": neither a DNS name nor an IP address')
      .with.property('code', 'TLS_NAME_INVALID');
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });

  it('keeps the CA across starts and renews the server certificate', () => {
    const first = prepareServerTls(dir, ['127.0.0.1'], 'a');
    const second = prepareServerTls(dir, ['127.0.0.1'], 'a');
    expect(second.caCertPem).to.equal(first.caCertPem);
    expect(second.certPem).not.to.equal(first.certPem);
  });

  it('reads back the certificate issued last for a label, as issued, for processes that serve with it', () => {
    prepareServerTls(dir, ['127.0.0.1'], '18000');
    const issued = prepareServerTls(dir, ['127.0.0.1'], '18000');
    expect(readServerTls(dir, '18000')).to.deep.equal(issued);
    expect(() => readServerTls(dir, '18001')).to.throw(/ENOENT/);
  });

  it('issues a client certificate for client authentication only, under the same CA', () => {
    const server = prepareServerTls(dir, ['127.0.0.1'], 'db');
    const client = prepareClientTls(dir, 'mirror', 'mirror');
    const cert = new crypto.X509Certificate(client.certPem);
    expect(client.caCertPem).to.equal(server.caCertPem);
    expect(cert.subject).to.equal('CN=mirror');
    expect(cert.keyUsage).to.deep.equal(['1.3.6.1.5.5.7.3.2']);
    expect(cert.verify(new crypto.X509Certificate(server.caCertPem).publicKey)).to.equal(true);
    expect(fs.readFileSync(client.certPath, 'utf8')).to.equal(client.certPem);
    expect(fs.statSync(client.keyPath).mode & 0o077).to.equal(0);
  });
});
