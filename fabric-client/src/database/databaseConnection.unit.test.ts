import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, readEnvironment } from '../config/environment';
import { databaseConnectionOf, databasePoolConfig, databaseSettings } from './databaseConnection';

describe('the PostgreSQL connection of every service', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'database-ca-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const url = 'postgresql://escrow_mirror:pw@127.0.0.1:15432/escrow';

  it('always verifies the server certificate against the configured CA', () => {
    const settings = readEnvironment('mirror', databaseSettings, {
      P2P_DATABASE_URL: url,
      P2P_DATABASE_CA: caFile,
    });
    const config = databasePoolConfig(databaseConnectionOf(settings));
    expect(config.connectionString).to.equal(url);
    expect(config.ssl).to.deep.equal({ ca: fs.readFileSync(caFile, 'utf8'), rejectUnauthorized: true });
  });

  it('refuses a configuration without a CA, or a URL that picks its own sslmode', () => {
    const problemsOf = (env: Record<string, string>) => {
      try {
        readEnvironment('mirror', databaseSettings, env);
      } catch (error) {
        if (error instanceof ConfigError) return error.message;
      }
      return 'accepted';
    };
    expect(problemsOf({ P2P_DATABASE_URL: url })).to.contain('P2P_DATABASE_CA is not set');
    expect(problemsOf({ P2P_DATABASE_URL: `${url}?sslmode=disable`, P2P_DATABASE_CA: caFile })).to.contain(
      'must not set sslmode',
    );
    expect(problemsOf({ P2P_DATABASE_URL: url, P2P_DATABASE_CA: path.join(dir, 'missing.pem') })).to.contain(
      'is not a readable file',
    );
  });
});
