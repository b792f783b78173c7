// The comparison of a proof's latest block with what two orgs' peers report, on the verifier's
// captured ten-transition proof.
import { common } from '@hyperledger/fabric-protos';
import {
  anyTwoPeersOf,
  base64Of,
  bytesOf,
  ProofError,
  verifyProof,
  type OrganizationMaterial,
  type ProofBundle,
} from '@p2p-escrow/proof-verifier';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { organizationMaterialFromMsp } from './mspMaterial';
import { compareLatestBlock, type NamedBlockSource } from './peerAgreement';
import type { BlockSource } from './proofAssembly';

// The verifier package ships its captured proof beside its code.
const fixture = path.join(
  path.dirname(require.resolve('@p2p-escrow/proof-verifier/package.json')),
  'fixtures',
  'ten-transitions',
);
const captured = JSON.parse(fs.readFileSync(path.join(fixture, 'proof.json'), 'utf8')) as ProofBundle;
const organizations = new Map<string, OrganizationMaterial>(
  fs
    .readdirSync(path.join(fixture, 'msp'))
    .map((mspId) => [mspId, organizationMaterialFromMsp(path.join(fixture, 'msp', mspId))]),
);
const trust = {
  organizations,
  ordererMspIds: ['OrdererMSP'],
  chaincodePolicy: anyTwoPeersOf(['MarketAMSP', 'MarketBMSP', 'OversightMSP']),
};

/** The part with one byte changed. */
function flipped(text: string, at: number, mask: number): string {
  const bytes = bytesOf(text, 'part');
  const index = at % bytes.length;
  bytes[index] = (bytes[index] ?? 0) ^ mask;
  return base64Of(bytes);
}

describe('proof verifier: the latest block as two orgs’ peers report it', () => {
  const latestHeader = captured.headers[captured.headers.length - 1] ?? '';
  const reporting = (header: Uint8Array): BlockSource => ({
    blockByNumber: () => {
      const block = new common.Block();
      block.setHeader(common.BlockHeader.deserializeBinary(header));
      return Promise.resolve(block);
    },
    blockByTxId: () => Promise.reject(new Error('not asked')),
    height: () => Promise.reject(new Error('not asked')),
  });
  const proof = verifyProof(captured, trust);

  it('agrees when both peers report the proof’s latest header', async () => {
    const sources: NamedBlockSource[] = ['MarketA', 'MarketB'].map((name) => ({
      name,
      source: reporting(bytesOf(latestHeader, 'header')),
    }));
    const reports = await compareLatestBlock(proof.latestBlock, sources);
    expect(reports.map((report) => report.hash)).to.deep.equal([
      proof.latestBlock.hash,
      proof.latestBlock.hash,
    ]);
  });

  it('refuses when one peer reports another block, and when only one org is asked', async () => {
    const other = bytesOf(flipped(latestHeader, 40, 1), 'header');
    const sources: NamedBlockSource[] = [
      { name: 'MarketA', source: reporting(bytesOf(latestHeader, 'header')) },
      { name: 'MarketB', source: reporting(other) },
    ];
    const error = await compareLatestBlock(proof.latestBlock, sources).then(
      () => expect.fail('agreed'),
      (failure: unknown) => failure,
    );
    expect(error).to.be.instanceOf(ProofError).with.property('code', 'PROOF_LATEST_BLOCK_MISMATCH');
    const alone = await compareLatestBlock(proof.latestBlock, [sources[0]!]).then(
      () => expect.fail('agreed'),
      (failure: unknown) => failure,
    );
    expect(alone).to.be.instanceOf(Error);
  });
});
