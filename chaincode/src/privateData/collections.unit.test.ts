import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOUNDING_MARKETPLACES } from '../testing/escrowFixtures';
import {
  collectionFor,
  collectionsConfig,
  isTermsCollection,
  termsCollectionFor,
  termsCollectionMembers,
} from './collections';

// dist/privateData -> chaincode/collections.json
const COLLECTIONS_FILE = join(__dirname, '..', '..', 'collections.json');
const MARKET_C = { name: 'MarketC', mspId: 'MarketCMSP' };

describe('private data collections', () => {
  it('names one collection per pair of marketplaces, whatever the order', () => {
    expect(collectionFor('MarketB', 'MarketA')).to.equal('escrowPrivate_MarketA_MarketB');
    expect(collectionFor('MarketA', 'MarketB')).to.equal('escrowPrivate_MarketA_MarketB');
    expect(collectionFor('MarketB', 'MarketB')).to.equal('escrowPrivate_MarketB');
    expect(termsCollectionFor('MarketC', 'MarketA')).to.equal('escrowTerms_MarketA_MarketC');
  });

  it("keeps each trade's terms with its marketplaces and Oversight, never another marketplace", () => {
    expect(termsCollectionFor('MarketB', 'MarketA')).to.equal('escrowTerms_MarketA_MarketB');
    expect(termsCollectionMembers('escrowTerms_MarketA')).to.deep.equal(['MarketA', 'Oversight']);
    expect(termsCollectionMembers('escrowTerms_MarketA_MarketB')).to.deep.equal([
      'MarketA',
      'MarketB',
      'Oversight',
    ]);
    expect(termsCollectionMembers('escrowTerms_MarketB_MarketC')).to.deep.equal([
      'MarketB',
      'MarketC',
      'Oversight',
    ]);
    expect(isTermsCollection('escrowPrivate_MarketA')).to.equal(false);
    expect(isTermsCollection('escrowTerms_MarketB_MarketA')).to.equal(false);
    expect(isTermsCollection('escrowTerms_Oversight')).to.equal(false);
    expect(termsCollectionMembers('escrowPrivate_MarketA')).to.equal(undefined);
  });

  it('collections.json is the generated configuration of the founding marketplaces', () => {
    const parsed: unknown = JSON.parse(readFileSync(COLLECTIONS_FILE, 'utf8'));
    expect(parsed).to.deep.equal(collectionsConfig(FOUNDING_MARKETPLACES, 'OversightMSP'));
  });

  it('generates members-only collections, personal data endorsed by every member, terms with Oversight', () => {
    const config = collectionsConfig([MARKET_C, ...FOUNDING_MARKETPLACES], 'OversightMSP');
    const byName = new Map(config.map((entry) => [entry.name, entry]));
    expect(byName.get('escrowPrivate_MarketA_MarketC')).to.deep.equal({
      name: 'escrowPrivate_MarketA_MarketC',
      policy: "OR('MarketAMSP.member','MarketCMSP.member')",
      requiredPeerCount: 0,
      maxPeerCount: 1,
      blockToLive: 0,
      memberOnlyRead: true,
      memberOnlyWrite: true,
      endorsementPolicy: { signaturePolicy: "AND('MarketAMSP.member','MarketCMSP.member')" },
    });
    expect(byName.get('escrowTerms_MarketC')?.policy).to.equal(
      "OR('MarketCMSP.member','OversightMSP.member')",
    );
    expect(byName.get('escrowTerms_MarketC')).to.not.have.property('endorsementPolicy');
  });

  it('adding a marketplace keeps every existing collection as it was, and covers every trade', () => {
    const name = fc.stringMatching(/^[A-Z][a-z0-9]{0,6}$/).filter((value) => value !== 'Oversight');
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 6 }), name, (names, added) => {
        fc.pre(!names.includes(added));
        const specs = names.map((market) => ({ name: market, mspId: `${market}MSP` }));
        const before = collectionsConfig(specs, 'OversightMSP');
        const after = collectionsConfig([...specs, { name: added, mspId: `${added}MSP` }], 'OversightMSP');
        for (const entry of before) expect(after).to.deep.include(entry);
        expect(after).to.have.length(before.length + 2 * (names.length + 1));
        const all = [...names, added];
        const generated = new Set(after.map((entry) => entry.name));
        for (const buyer of all)
          for (const seller of all) {
            expect(generated.has(collectionFor(buyer, seller))).to.equal(true);
            expect(generated.has(termsCollectionFor(buyer, seller))).to.equal(true);
          }
      }),
      { numRuns: 200 },
    );
  });
});
