import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mspIdOf } from '../config/identityConfig';
import {
  allCollections,
  collectionFor,
  isTermsCollection,
  termsCollectionFor,
  termsCollectionMembers,
} from './collections';

// dist/privateData -> chaincode/collections.json
const COLLECTIONS_FILE = join(__dirname, '..', '..', 'collections.json');

describe('private data collections', () => {
  it('names one collection per pair of marketplaces, whatever the order', () => {
    expect(collectionFor('MarketB', 'MarketA')).to.equal('escrowPrivate_MarketA_MarketB');
    expect(collectionFor('MarketA', 'MarketB')).to.equal('escrowPrivate_MarketA_MarketB');
    expect(collectionFor('MarketB', 'MarketB')).to.equal('escrowPrivate_MarketB');
  });

  it("keeps each trade's terms with its marketplaces and Oversight, never another marketplace", () => {
    expect(termsCollectionFor('MarketB', 'MarketA')).to.equal('escrowTerms_MarketA_MarketB');
    expect(termsCollectionMembers('escrowTerms_MarketA')).to.deep.equal(['MarketA', 'Oversight']);
    expect(termsCollectionMembers('escrowTerms_MarketA_MarketB')).to.deep.equal([
      'MarketA',
      'MarketB',
      'Oversight',
    ]);
    expect(isTermsCollection('escrowPrivate_MarketA')).to.equal(false);
    expect(termsCollectionMembers('escrowPrivate_MarketA')).to.equal(undefined);
  });

  it('matches collections.json: members only, endorsed by every member, no peer spread, kept until purged', () => {
    const parsed: unknown = JSON.parse(readFileSync(COLLECTIONS_FILE, 'utf8'));
    expect(parsed).to.be.an('array');
    const expected = allCollections().map(({ name, members, endorsedByAllMembers }) => ({
      name,
      policy: `OR(${members.map((m) => `'${mspIdOf(m)}.member'`).join(',')})`,
      requiredPeerCount: 0,
      maxPeerCount: 1,
      blockToLive: 0,
      memberOnlyRead: true,
      memberOnlyWrite: true,
      // A write of personal data needs every member (putPrivateDetails), never an org outside it.
      ...(endorsedByAllMembers
        ? {
            endorsementPolicy: {
              signaturePolicy: `AND(${members.map((m) => `'${mspIdOf(m)}.member'`).join(',')})`,
            },
          }
        : {}),
    }));
    expect(parsed).to.deep.equal(expected);
  });
});
