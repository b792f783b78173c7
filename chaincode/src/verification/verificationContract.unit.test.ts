// attestVerification and readVerificationAttestation on the contract class against the in-memory
// ledger: only a payments identity (with the funding key) of the party's own marketplace attests,
// under a key its marketplace and Oversight endorse; a refusal writes nothing.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { EscrowContract } from '../escrow/escrowContract';
import { allOf, decodePolicy, member } from '../ledger/endorsementPolicy';
import { caller, CALLERS, foundedLedger } from '../testing/contractFixtures';
import { expectRejection } from '../testing/escrowFixtures';
import type { FakeLedger } from '../testing/fakeLedger';

const HASH = createHash('sha256').update('vs_1\u0000verified\u0000salt').digest('hex');
const KEY = '\u0000partyVerification\u0000MarketA\u0000amir\u0000';

describe('party verification attestations', () => {
  let ledger: FakeLedger;
  const contract = new EscrowContract();

  beforeEach(async () => {
    ledger = await foundedLedger();
  });

  const read = async (partyId: string): Promise<unknown> =>
    (
      JSON.parse(
        await ledger.as(CALLERS.auditor)((ctx) => contract.readVerificationAttestation(ctx, partyId)),
      ) as { attestation: unknown }
    ).attestation;

  it("records the party's marketplace's attestation with its policy and emits PartyVerificationAttested", async () => {
    await ledger.as(CALLERS.paymentsA)((ctx) =>
      contract.attestVerification(ctx, 'MarketA:amir', HASH, 'verified'),
    );
    expect(await read('MarketA:amir')).to.include({
      partyId: 'MarketA:amir',
      marketplace: 'MarketA',
      userId: 'amir',
      status: 'verified',
      statusHash: HASH,
      attestedBy: 'marketa-payments@MarketA',
    });
    const policy = ledger.validationParameters.get(KEY);
    expect(policy && decodePolicy(policy)).to.deep.equal(allOf(member('MarketAMSP'), member('OversightMSP')));
    const event = ledger.events.at(-1);
    expect(event?.name).to.equal('PartyVerificationAttested');
    expect(event?.payload).to.include({ partyId: 'MarketA:amir', status: 'verified', statusHash: HASH });
  });

  it('replaces an earlier status with a later one', async () => {
    await ledger.as(CALLERS.paymentsA)((ctx) =>
      contract.attestVerification(ctx, 'MarketA:amir', HASH, 'requires_input'),
    );
    await ledger.as(CALLERS.paymentsA)((ctx) =>
      contract.attestVerification(ctx, 'MarketA:amir', HASH, 'verified'),
    );
    expect(await read('MarketA:amir')).to.include({ status: 'verified' });
  });

  it("refuses another marketplace's payments identity, the party's own backend and an identity without the funding key", async () => {
    const without = caller('MarketA', 'payments', 'marketa-payments-web');
    for (const who of [CALLERS.paymentsB, CALLERS.marketA, CALLERS.amir, CALLERS.arbiter, without])
      await expectRejection(
        () => ledger.as(who)((ctx) => contract.attestVerification(ctx, 'MarketA:amir', HASH, 'verified')),
        'FORBIDDEN_ACTOR',
      );
    expect(await read('MarketA:amir')).to.equal(null);
    expect(ledger.events.filter((event) => event.name === 'PartyVerificationAttested')).to.have.length(0);
  });

  it('refuses a malformed party, hash or status', async () => {
    const attest = (partyId: string, hash: string, status: string) => () =>
      ledger.as(CALLERS.paymentsA)((ctx) => contract.attestVerification(ctx, partyId, hash, status));
    await expectRejection(attest('amir', HASH, 'verified'), 'INVALID_INPUT');
    await expectRejection(attest('MarketA:am ir', HASH, 'verified'), 'INVALID_INPUT');
    await expectRejection(attest('MarketA:amir', 'ABC', 'verified'), 'INVALID_INPUT');
    await expectRejection(attest('MarketA:amir', HASH, 'approved'), 'INVALID_INPUT');
    expect(await read('MarketA:amir')).to.equal(null);
  });
});
