// The contract's side of the trust boundaries, on an in-memory ledger: the channel settings record
// and who may write it, the policies on index and review keys, and the endorser's own clock.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { allOf, decodePolicy, member } from '../ledger/endorsementPolicy';
import { CALLERS, foundedLedger, requestJson } from '../testing/contractFixtures';
import { type Caller, FakeLedger, type SubmitOptions } from '../testing/fakeLedger';
import { expectRejection } from '../testing/escrowFixtures';
import { withPositionalSubmits } from '../testing/transientCalls';
import { EscrowContract } from './escrowContract';

const ID = CALLERS;
const CROSS_MARKET_POLICY = allOf(member('MarketAMSP'), member('MarketBMSP'));

const request = requestJson;

describe('escrow contract: trust boundaries', () => {
  let ledger: FakeLedger;
  const contract = withPositionalSubmits(new EscrowContract());
  const as = (who: Caller, options?: SubmitOptions) => ledger.as(who, options);
  const settingsOf = async (): Promise<Record<string, unknown>> =>
    JSON.parse(await as(ID.alice)((ctx) => contract.readChannelSettings(ctx))) as Record<string, unknown>;

  beforeEach(async () => {
    ledger = await foundedLedger();
  });

  describe('channel settings', () => {
    it('answers the safe defaults until governance writes a record', async () => {
      expect(await settingsOf()).to.deep.equal({
        docType: 'channelSettings',
        maxFeeBps: 2000,
        minInspectionPeriodSeconds: 86400,
        maxAcceptancePeriodSeconds: 1209600,
        settlementPeriodSeconds: 86400,
        defaultDeliveryPeriodSeconds: 30 * 24 * 3600,
        missedDeliveryOutcome: 'dispute',
        updatedAt: null,
        updatedBy: null,
      });
    });

    it('lets only Oversight’s admin set them, within their own bounds', async () => {
      const settings = JSON.stringify({ maxFeeBps: 1000, minInspectionPeriodSeconds: 1 });
      for (const who of [ID.adminA, ID.marketA, ID.arbiter, ID.keeper]) {
        await expectRejection(
          () => as(who)((ctx) => contract.setChannelSettings(ctx, settings)),
          'FORBIDDEN_ACTOR',
        );
      }
      for (const bad of [
        { maxFeeBps: 10_001, minInspectionPeriodSeconds: 1 },
        { maxFeeBps: 100, minInspectionPeriodSeconds: 0 },
        { maxFeeBps: 100 },
        { maxFeeBps: '100', minInspectionPeriodSeconds: 1 },
      ]) {
        await expectRejection(
          () => as(ID.oversightAdmin)((ctx) => contract.setChannelSettings(ctx, JSON.stringify(bad))),
          'INVALID_INPUT',
        );
      }
      expect((await settingsOf()).updatedAt).to.equal(null);
      await as(ID.oversightAdmin)((ctx) => contract.setChannelSettings(ctx, settings));
      expect(await settingsOf()).to.include({
        maxFeeBps: 1000,
        minInspectionPeriodSeconds: 1,
        updatedBy: 'oversight-admin@Oversight',
      });
    });

    it('bounds every creation by the stored settings: fee cap and shortest inspection window', async () => {
      await expectRejection(
        () => as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-f', request({ feeBps: 2001 }))),
        'INVALID_INPUT',
      );
      await expectRejection(
        () =>
          as(ID.marketA)((ctx) =>
            contract.createEscrow(ctx, 'esc-f', request({ inspectionPeriodSeconds: 2 })),
          ),
        'INVALID_INPUT',
      );
      const settings = JSON.stringify({ maxFeeBps: 100, minInspectionPeriodSeconds: 2 });
      await as(ID.oversightAdmin)((ctx) => contract.setChannelSettings(ctx, settings));
      await expectRejection(
        () => as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-f', request({ feeBps: 250 }))),
        'INVALID_INPUT',
      );
      await as(ID.marketA)((ctx) =>
        contract.createEscrow(ctx, 'esc-f', request({ feeBps: 100, inspectionPeriodSeconds: 2 })),
      );
    });
  });

  it('guards every index key of an escrow with the escrow’s own policy', async () => {
    await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-i', request()));
    const publicKeys = ledger.keysFrom('\u0000escrow~');
    expect(publicKeys).to.have.length(3);
    const partyKeys = [...ledger.privateData.keys()].filter((key) => key.includes('escrow~party'));
    expect(partyKeys).to.have.length(2);
    const termsKey = 'escrowTerms_MarketA_MarketB/\u0000escrow\u0000esc-i\u0000';
    for (const key of [...publicKeys, ...partyKeys, termsKey]) {
      expect(decodePolicy(ledger.validationParameters.get(key) ?? new Uint8Array()), key).to.deep.equal(
        CROSS_MARKET_POLICY,
      );
    }
  });

  it('guards a review with the escrow’s policy and rewrites its author’s party entry under that policy', async () => {
    await as(ID.oversightAdmin)((ctx) =>
      contract.setChannelSettings(ctx, JSON.stringify({ maxFeeBps: 2000, minInspectionPeriodSeconds: 1 })),
    );
    await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-r', request()));
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-r'));
    await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-r', '10000', 'EUR', 'psp-1'));
    await as(ID.bea)((ctx) => contract.shipEscrow(ctx, 'esc-r', 'DHL', 'TRK-1'));
    await as(ID.alice)((ctx) => contract.releaseEscrow(ctx, 'esc-r'));
    // The party index lives in the terms collection: the review rewrites the author's entry there.
    const aliceEntry =
      'escrowTerms_MarketA_MarketB/\u0000escrow~party\u0000MarketA\u0000alice\u0000esc-r\u0000';
    ledger.privateData.delete(aliceEntry);
    const hash = createHash('sha256').update('fine').digest('hex');
    await as(ID.alice)((ctx) => contract.postReview(ctx, 'esc-r', '5', hash));
    // On public state the review is keyed by its subject and an unlinkable reference, not the escrow.
    const [reviewKey, ...others] = ledger.keysFrom('\u0000review\u0000MarketB\u0000bea\u0000');
    expect(others).to.deep.equal([]);
    expect(reviewKey).not.to.include('esc-r');
    const stored = Buffer.from(ledger.get(reviewKey ?? '') ?? '').toString('utf8');
    for (const linking of ['esc-r', 'alice']) expect(stored).not.to.include(linking);
    expect(decodePolicy(ledger.validationParameters.get(reviewKey ?? '') ?? new Uint8Array())).to.deep.equal(
      CROSS_MARKET_POLICY,
    );
    const fullReview = 'escrowTerms_MarketA_MarketB/\u0000review\u0000esc-r\u0000buyer\u0000';
    expect(Buffer.from(ledger.privateData.get(fullReview) ?? '').toString('utf8')).to.include('"alice"');
    expect(ledger.privateData.has(aliceEntry)).to.equal(true);
    expect(decodePolicy(ledger.validationParameters.get(aliceEntry) ?? new Uint8Array())).to.deep.equal(
      CROSS_MARKET_POLICY,
    );
  });

  it('refuses an auto-release stamped past the window within the skew while this endorser’s clock is in it', async () => {
    await as(ID.oversightAdmin)((ctx) =>
      contract.setChannelSettings(ctx, JSON.stringify({ maxFeeBps: 2000, minInspectionPeriodSeconds: 1 })),
    );
    await as(ID.marketA)((ctx) =>
      contract.createEscrow(ctx, 'esc-t', request({ inspectionPeriodSeconds: 120 })),
    );
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-t'));
    await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-t', '10000', 'EUR', 'psp-1'));
    await as(ID.bea)((ctx) => contract.shipEscrow(ctx, 'esc-t', 'DHL', 'TRK-1'));
    await as(ID.alice)((ctx) => contract.confirmDelivery(ctx, 'esc-t'));
    // Four minutes ahead: inside the 5-minute skew, past the 2-minute window on the stamp only.
    const postdated = Date.now() + 4 * 60_000;
    await expectRejection(
      () => as(ID.keeper, { txTimeMs: postdated })((ctx) => contract.releaseEscrow(ctx, 'esc-t')),
      'DEADLINE_NOT_REACHED',
    );
  });

  it('refuses U+0000 in a marker value and in private details with INVALID_TEXT', async () => {
    await expectRejection(
      () => as({ mspId: 'MarketAMSP', attributes: {} })((ctx) => contract.putMarker(ctx, 'm', 'x\u0000')),
      'INVALID_TEXT',
    );
    const details = JSON.stringify({
      salt: '0123456789abcdef0123456789abcdef',
      shippingAddress: { street: '1 Main St\u0000', city: 'Lyon' },
      contact: 'alice@example.org',
    });
    const privateDetailsHash = 'ab'.repeat(32);
    await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-p', requestJson({ privateDetailsHash })));
    await expectRejection(
      () =>
        as(ID.marketA, { transient: { privateDetails: details } })((ctx) =>
          contract.putPrivateDetails(ctx, 'esc-p'),
        ),
      'INVALID_TEXT',
    );
  });
});
