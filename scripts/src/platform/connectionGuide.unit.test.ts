import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../env/paths';
import { firstRequestLines } from './connectionGuide';

describe('the first request', () => {
  it('is in the README as `npm start` prints it, with the state directory’s relative paths', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const lines = firstRequestLines({
      ca: '.state/tls/ca/ca.pem',
      backendSecret: '.state/secrets/keycloak-marketa-backend-secret',
    });
    expect(readme).to.include(['```sh', ...lines, '```'].join('\n'));
  });

  it('creates, reads back and searches for the escrow it names', () => {
    const lines = firstRequestLines({ ca: 'ca.pem', backendSecret: 'secret' }).join('\n');
    expect(lines).to.include('grant_type=client_credentials');
    expect(lines).to.match(/\/v1\/escrows -H .*Idempotency-Key: \$ESCROW/);
    expect(lines).to.include('/v1/escrows/$ESCROW ');
    expect(lines).to.include('/v1/escrows?marketplace=MarketA&userId=alice&q=Camera');
  });
});
