// Revoking one compromised user as an operator does it: a throwaway MarketA user enrolled at the
// org's CA transacts, `user revoke` (the real command line, as a child process) revokes it at the CA
// and puts the CRL into MarketA's MSP on the channel, and then the peers refuse that user while
// MarketA's other identities keep transacting.
import { connectGateway, signingIdentityFromMsp } from '@p2p-escrow/fabric-client';
import {
  configOfBlock,
  enrollOrgIdentity,
  fetchDecodedConfigBlock,
  peerOrg,
  revocationListOf,
} from '@p2p-escrow/scripts';
import {
  errorMessages,
  escrowContract,
  newOrgPeerClient,
  openGateway,
  requireFabricNetwork,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Outcome, runOperator } from './operatorRun';

const decoder = new TextDecoder();

function operator(...args: string[]): Promise<Outcome> {
  return runOperator(150_000, ...args);
}

/** A gateway to MarketA's peer signing as the identity enrolled under `mspDir`. */
function gatewayAs(mspDir: string) {
  const client = newOrgPeerClient('MarketA');
  const gateway = connectGateway(client, signingIdentityFromMsp(peerOrg('MarketA').mspId, mspDir));
  return {
    contract: escrowContract(gateway),
    close: () => {
      gateway.close();
      client.close();
    },
  };
}

async function putMarker(contract: ReturnType<typeof escrowContract>, name: string): Promise<string> {
  const result = await contract.submit('putMarker', {
    arguments: [name, 'revocation check'],
    endorsingOrganizations: ['MarketAMSP', 'MarketBMSP'],
  });
  return decoder.decode(result);
}

async function refusal(attempt: Promise<unknown>): Promise<string> {
  const outcome = await attempt.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(outcome, 'the revoked user was served').to.be.instanceOf(Error);
  return errorMessages(outcome).join(' | ');
}

describe('user revoke against the live network', function () {
  this.timeout(240_000);
  const userId = `revoked-${crypto.randomBytes(4).toString('hex')}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'user-revoke-'));
  const mspDir = path.join(work, 'msp');

  before(async () => {
    await requireFabricNetwork();
    await enrollOrgIdentity('MarketA', { id: userId, type: 'client', attrs: {} }, work);
  });

  after(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("refuses the revoked user's next transaction while MarketA's other identities keep transacting", async () => {
    const user = gatewayAs(mspDir);
    try {
      expect(decoder.decode(await user.contract.evaluateTransaction('ping'))).to.contain('"status":"ok"');
      expect(await putMarker(user.contract, `${userId}-before`)).to.contain(`${userId}-before`);

      const revoked = await operator('user', 'revoke', 'MarketA', userId, '--reason', 'keycompromise');
      expect(revoked.code, revoked.stderr).to.equal(0);
      expect(revoked.stdout).to.contain(`${userId} of MarketA revoked`);

      const config = configOfBlock(await fetchDecodedConfigBlock(peerOrg('MarketB')));
      expect(revocationListOf(config, 'MarketA')).to.have.length(1);

      const evaluateRefusal = await refusal(user.contract.evaluateTransaction('ping'));
      const submitRefusal = await refusal(putMarker(user.contract, `${userId}-after`));
      for (const said of [evaluateRefusal, submitRefusal]) expect(said).to.match(/access denied/i);
    } finally {
      user.close();
    }

    const backend = openGateway('MarketA', 'marketa-backend');
    try {
      expect(await putMarker(escrowContract(backend.gateway), `${userId}-other`)).to.contain(
        `${userId}-other`,
      );
    } finally {
      backend.close();
    }
  });

  it('still shows the consortium afterwards', async () => {
    const shown = await operator('consortium', 'show', '--json');
    expect(shown.code, shown.stderr).to.equal(0);
    const view = JSON.parse(shown.stdout) as { orgs: { name: string }[] };
    expect(view.orgs.map((org) => org.name)).to.include('MarketA');
  });
});
