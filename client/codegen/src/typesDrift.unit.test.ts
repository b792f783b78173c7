// The committed SDK types must be what the gateway's current OpenAPI document generates: a route or
// schema changed without regenerating fails here, before a partner gets types that lie.
import { loadOpenApi } from '@p2p-escrow/gateway-api';
import { expect } from 'chai';
import * as fs from 'node:fs';
import { gatewayTypesSource, generatedTypesPath } from './gatewayTypes';

describe('SDK types', () => {
  it('are exactly what the gateway’s OpenAPI document generates (else: npm run generate -w client)', async function () {
    this.timeout(60_000);
    const regenerated = await gatewayTypesSource(loadOpenApi());
    const committed = fs.readFileSync(generatedTypesPath, 'utf8');
    const [was, now] = [committed.split('\n'), regenerated.split('\n')];
    const line = now.findIndex((text, index) => text !== was[index]);
    expect(
      committed === regenerated,
      `client/src/generated/gatewayApi.ts drifted from the document at line ${line + 1}: ` +
        `committed ${JSON.stringify(was[line])}, generated ${JSON.stringify(now[line])}`,
    ).to.equal(true);
  });
});
