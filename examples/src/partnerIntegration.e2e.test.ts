// The runnable example, run as a partner would run it (`node examples/dist/main.js` with the local
// CA trusted) against the whole stack: it must create, fund, ship and release an escrow and receive
// each transition's signed webhook on its own receiver, verified with the SDK.
import { as, serviceTlsCaFile } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { PARTNER_WEBHOOK_TYPES, type IntegrationOutcome } from './partnerIntegration';

function runExample(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(__dirname, 'main.js')],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: serviceTlsCaFile }, timeout: 150_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        });
      },
    );
  });
}

describe('examples e2e: the partner integration', function () {
  this.timeout(180_000);

  it('creates, funds, ships and releases an escrow, receiving every transition’s verified webhook', async () => {
    const run = await runExample();
    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
    const lines = run.stdout.trim().split('\n');
    const outcome = JSON.parse(lines[lines.length - 1] ?? '{}') as IntegrationOutcome;
    expect(outcome.state).to.equal('RELEASED');
    expect(outcome.webhooks).to.include.members([...PARTNER_WEBHOOK_TYPES]);
    const read = await as('alice', 'GET', `/v1/escrows/${outcome.escrowId}`);
    expect(read.body).to.include({ state: 'RELEASED', sellerPayout: '11700', fee: '300' });
  });
});
