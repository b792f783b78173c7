import { expect } from 'chai';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { mspIdOf } from '../config/identityConfig';

const MARKETPLACES = ['MarketA', 'MarketB'];
import {
  allOf,
  anyOf,
  decodePolicy,
  encodePolicy,
  escrowEndorsingOrganizations,
  escrowPolicy,
  member,
  type Policy,
  privateDetailsEndorsingOrganizations,
  privateDetailsPolicy,
  resolutionEndorsingOrganizations,
} from './endorsementPolicy';

function satisfied(policy: Policy, signers: readonly string[]): boolean {
  if ('signedBy' in policy) return signers.includes(policy.signedBy);
  return policy.rules.filter((rule) => satisfied(rule, signers)).length >= policy.outOf;
}

const mspIds = (orgs: readonly string[]) => orgs.map((org) => mspIdOf(org));

const A = member('MarketAMSP');
const B = member('MarketBMSP');
const O = member('OversightMSP');

describe('escrow endorsement policies', () => {
  it('needs both parties’ orgs for a cross-marketplace escrow', () => {
    expect(decodePolicy(encodePolicy(escrowPolicy('MarketA', 'MarketB', false)))).to.deep.equal(allOf(A, B));
  });

  it('needs the marketplace and Oversight when both parties trade on one marketplace', () => {
    expect(decodePolicy(encodePolicy(escrowPolicy('MarketB', 'MarketB', false)))).to.deep.equal(allOf(B, O));
    expect(decodePolicy(encodePolicy(escrowPolicy('MarketB', 'MarketB', true)))).to.deep.equal(allOf(B, O));
  });

  it('sends personal data only to its collection’s members, never to Oversight, and needs all of them', () => {
    const same = { buyer: { marketplace: 'MarketB' }, seller: { marketplace: 'MarketB' } };
    const cross = { buyer: { marketplace: 'MarketB' }, seller: { marketplace: 'MarketA' } };
    expect(privateDetailsEndorsingOrganizations(same)).to.deep.equal(['MarketB']);
    expect(privateDetailsEndorsingOrganizations(cross)).to.deep.equal(['MarketB', 'MarketA']);
    expect(decodePolicy(encodePolicy(privateDetailsPolicy('MarketB', 'MarketB')))).to.deep.equal(allOf(B));
    expect(decodePolicy(encodePolicy(privateDetailsPolicy('MarketB', 'MarketA')))).to.deep.equal(allOf(B, A));
  });

  it('widens a dispute to both parties, or Oversight with either party', () => {
    const decoded = decodePolicy(encodePolicy(escrowPolicy('MarketA', 'MarketB', true)));
    expect(decoded).to.deep.equal(anyOf(allOf(A, B), allOf(O, anyOf(A, B))));
  });

  it('lists each org once as a MEMBER principal that fabric-shim can read back', () => {
    const bytes = encodePolicy(escrowPolicy('MarketA', 'MarketB', true));
    const shimView = new KeyEndorsementPolicy(Buffer.from(bytes));
    expect(shimView.listOrgs().sort()).to.deep.equal(['MarketAMSP', 'MarketBMSP', 'OversightMSP']);
  });

  it('encodes an AND policy byte-for-byte like fabric-shim’s KeyEndorsementPolicy', () => {
    const shimPolicy = new KeyEndorsementPolicy();
    shimPolicy.addOrgs('MEMBER', 'MarketAMSP', 'MarketBMSP');
    expect(Buffer.from(encodePolicy(allOf(A, B))).equals(Buffer.from(shimPolicy.getPolicy()))).to.equal(true);
  });

  it('is deterministic, so every endorser writes the same validation parameter', () => {
    const first = encodePolicy(escrowPolicy('MarketA', 'MarketB', true));
    const second = encodePolicy(escrowPolicy('MarketA', 'MarketB', true));
    expect(Buffer.from(first).equals(Buffer.from(second))).to.equal(true);
  });

  it('names endorsing organizations that satisfy the policy, and no fewer would', () => {
    for (const buyer of MARKETPLACES)
      for (const seller of MARKETPLACES) {
        const parties = { buyer: { marketplace: buyer }, seller: { marketplace: seller } };
        const endorsers = mspIds(escrowEndorsingOrganizations(parties));
        expect(satisfied(escrowPolicy(buyer, seller, false), endorsers)).to.equal(true);
        for (const alone of endorsers)
          expect(satisfied(escrowPolicy(buyer, seller, false), [alone])).to.equal(false);
        const arbitration = mspIds(resolutionEndorsingOrganizations(parties));
        expect(satisfied(escrowPolicy(buyer, seller, true), arbitration)).to.equal(true);
      }
  });
});
