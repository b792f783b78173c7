import { expect } from 'chai';
import { z } from 'zod';
import { ConfigError, readEnvironment, setting } from './environment';

describe('daemon configuration from the environment', () => {
  const schema = z.object({
    P2P_DATABASE_URL: setting.url(),
    P2P_OPS_PORT: setting.port(),
    P2P_KAFKA_BROKERS: setting.list(),
    P2P_GATEWAY_TLS: setting.flag().default(false),
  });

  it('reads and converts every setting', () => {
    const config = readEnvironment('svc', schema, {
      P2P_DATABASE_URL: 'postgresql://u:p@127.0.0.1:1/db',
      P2P_OPS_PORT: '9000',
      P2P_KAFKA_BROKERS: '127.0.0.1:1, 127.0.0.1:2',
    });
    expect(config).to.deep.equal({
      P2P_DATABASE_URL: 'postgresql://u:p@127.0.0.1:1/db',
      P2P_OPS_PORT: 9000,
      P2P_KAFKA_BROKERS: ['127.0.0.1:1', '127.0.0.1:2'],
      P2P_GATEWAY_TLS: false,
    });
  });

  it('names every missing or malformed variable in one error', () => {
    try {
      readEnvironment('mirror', schema, { P2P_OPS_PORT: 'ninety', P2P_GATEWAY_TLS: 'yes' });
      expect.fail('accepted a broken configuration');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).to.match(/^mirror: invalid configuration: /);
      expect(message).to.contain('P2P_DATABASE_URL is not set');
      expect(message).to.contain('P2P_OPS_PORT="ninety"');
      expect(message).to.contain('P2P_KAFKA_BROKERS is not set');
      expect(message).to.contain('P2P_GATEWAY_TLS="yes": must be 0 or 1');
    }
  });

  it('refuses a file setting that names no readable file', () => {
    expect(() =>
      readEnvironment('svc', z.object({ P2P_FABRIC_CERT: setting.file() }), {
        P2P_FABRIC_CERT: '/nonexistent/cert.pem',
      }),
    ).to.throw(ConfigError, 'P2P_FABRIC_CERT="/nonexistent/cert.pem": is not a readable file');
  });

  it('never shows the password of a malformed URL setting', () => {
    expect(() =>
      readEnvironment('svc', z.object({ P2P_OPS_PORT: setting.port() }), {
        P2P_OPS_PORT: 'postgresql://escrow:s3cret@127.0.0.1:1/escrow',
      }),
    )
      .to.throw(ConfigError)
      .with.property('message')
      .that.contains('escrow:***@')
      .and.not.contains('s3cret');
  });
});
