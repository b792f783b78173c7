import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProofChain, type ProofChainInput } from './hashChain';

// A proof of a ten-transition escrow captured from the live network (gateway-api's proof e2e test
// keeps it with fabric-client's verifier tests): real Fabric bytes, so the header encoding must be Fabric's.
const fixture = path.join(
  path.dirname(require.resolve('@p2p-escrow/fabric-client')),
  '../src/proofs/fixtures/ten-transitions/proof.json',
);
const proof = JSON.parse(fs.readFileSync(fixture, 'utf8')) as ProofChainInput & {
  transitions: { txId: string }[];
};

function flipped(base64: string, at: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[at] = (bytes[at] ?? 0) ^ 1;
  return bytes.toString('base64');
}

describe('console proof hash chain (in the browser)', () => {
  it('links every transition of a real proof to its latest block', async () => {
    const check = await checkProofChain(proof);
    if (!check.verified) expect.fail(check.reason);
    for (const transition of proof.transitions)
      expect(check.transactions.has(transition.txId)).to.equal(true);
    expect(BigInt(check.latestBlock)).to.equal(BigInt(proof.firstHeader) + BigInt(proof.headers.length - 1));
  });

  it('refuses a block whose transactions were changed by one byte', async () => {
    const [block, ...rest] = proof.blocks;
    const envelope = block!.envelopes[0]!;
    const tampered = {
      ...proof,
      blocks: [{ ...block!, envelopes: [flipped(envelope, 40), ...block!.envelopes.slice(1)] }, ...rest],
    };
    expect(await checkProofChain(tampered)).to.deep.include({ verified: false });
    expect(((await checkProofChain(tampered)) as { reason: string }).reason).to.match(
      /do not hash to its data hash/,
    );
  });

  it('refuses a chain with a header changed by one byte', async () => {
    const headers = [...proof.headers];
    headers[0] = flipped(headers[0]!, headers[0]!.length > 10 ? 5 : 0);
    const check = await checkProofChain({ ...proof, headers });
    expect(check.verified).to.equal(false);
  });
});
