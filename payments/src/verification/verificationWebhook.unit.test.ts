// The verification webhook over in-memory records and ledger, with the real Stripe signature check:
// the signed event of the party's current session is attested then recorded; forged, stale, foreign,
// repeated and out-of-order events change nothing.
import { expect } from 'chai';
import { readStripeConfig } from '../stripe/stripeConfig';
import { StripePaymentProvider } from '../stripe/stripePaymentProvider';
import { verificationDelivery } from '../stripe/stripeTestDeliveries';
import type { PartyVerification, PartyVerifications, VerificationStatusChange } from './verificationPorts';
import { verificationStatusHash } from './verificationStatusHash';
import { VerificationWebhook } from './verificationWebhook';

const secret = 'whsec_unit_verification_secret';
const provider = new StripePaymentProvider(
  readStripeConfig({
    P2P_STRIPE_API_KEY: 'sk_test_unit',
    P2P_STRIPE_HOST: '127.0.0.1',
    P2P_STRIPE_PORT: '9',
    P2P_STRIPE_PROTOCOL: 'http',
    P2P_STRIPE_WEBHOOK_SECRET: secret,
  }),
);
const SALT = 'ab'.repeat(32);

class MemoryVerifications implements PartyVerifications {
  readonly events = new Set<string>();
  readonly parties = new Map<string, PartyVerification>();
  open(userId: string, verificationId: string) {
    const now = new Date();
    this.parties.set(userId, {
      userId,
      verificationId,
      status: 'pending',
      statusHash: undefined,
      statusAt: undefined,
      attestedTxId: undefined,
      startedAt: now,
      updatedAt: now,
    });
  }
  find(userId: string) {
    return Promise.resolve(this.parties.get(userId));
  }
  seen(eventId: string) {
    return Promise.resolve(this.events.has(eventId));
  }
  record(change: VerificationStatusChange) {
    if (this.events.has(change.eventId)) return Promise.resolve(false);
    this.events.add(change.eventId);
    const held = this.parties.get(change.userId);
    if (held?.verificationId === change.verificationId)
      this.parties.set(change.userId, {
        ...held,
        status: change.status,
        statusHash: change.statusHash,
        statusAt: change.statusAt,
        attestedTxId: change.attestedTxId,
      });
    return Promise.resolve(true);
  }
  isVerified(userId: string) {
    return Promise.resolve(this.parties.get(userId)?.status === 'verified');
  }
}

function setup() {
  const attested: [string, string, string][] = [];
  const verifications = new MemoryVerifications();
  verifications.open('amir', 'vs_1');
  const webhook = new VerificationWebhook({
    marketplace: 'MarketA',
    provider,
    ledger: {
      attestVerification: (partyId, statusHash, status) => {
        attested.push([partyId, statusHash, status]);
        return Promise.resolve({ transactionId: `tx${String(attested.length)}` });
      },
    },
    verifications,
    salt: SALT,
  });
  const deliver = (spec: Partial<Parameters<typeof verificationDelivery>[0]>, key = secret) => {
    const delivery = verificationDelivery(
      { verificationId: 'vs_1', marketplace: 'MarketA', userId: 'amir', status: 'verified', ...spec },
      key,
    );
    return webhook.receive(Buffer.from(delivery.body), delivery.signature);
  };
  return { attested, verifications, deliver };
}

describe('the verification webhook', () => {
  it("attests the party's signed status with the salted hash, then records it", async () => {
    const { attested, verifications, deliver } = setup();
    expect(await deliver({ eventId: 'evt_1' })).to.deep.equal({
      status: 'recorded',
      partyId: 'MarketA:amir',
      verificationStatus: 'verified',
      transactionId: 'tx1',
    });
    const hash = verificationStatusHash('vs_1', 'verified', SALT);
    expect(attested).to.deep.equal([['MarketA:amir', hash, 'verified']]);
    expect(await verifications.find('amir')).to.include({
      status: 'verified',
      statusHash: hash,
      attestedTxId: 'tx1',
    });
  });

  it('refuses forged and stale deliveries, and changes nothing', async () => {
    const { attested, verifications, deliver } = setup();
    const forged = await deliver({}, 'whsec_someone_else');
    expect(forged.status === 'refused' && forged.refusal.code).to.equal('WEBHOOK_SIGNATURE_INVALID');
    const stale = await deliver({ createdSeconds: Math.floor(Date.now() / 1000) - 3600 });
    expect(stale.status === 'refused' && stale.refusal.code).to.equal('WEBHOOK_TIMESTAMP_STALE');
    expect(attested).to.deep.equal([]);
    expect((await verifications.find('amir'))?.status).to.equal('pending');
  });

  it("refuses another marketplace's session or one that is not the party's current one", async () => {
    const { attested, deliver } = setup();
    const foreign = await deliver({ marketplace: 'MarketB' });
    expect(foreign.status === 'refused' && foreign.refusal.code).to.equal('VERIFICATION_UNKNOWN');
    const old = await deliver({ verificationId: 'vs_0' });
    expect(old.status === 'refused' && old.refusal.code).to.equal('VERIFICATION_UNKNOWN');
    expect(attested).to.deep.equal([]);
  });

  it('answers a repeated event as a duplicate and an older one as stale, attesting nothing more', async () => {
    const { attested, verifications, deliver } = setup();
    const now = Math.floor(Date.now() / 1000);
    await deliver({ eventId: 'evt_2', createdSeconds: now });
    expect(await deliver({ eventId: 'evt_2', createdSeconds: now })).to.include({ status: 'duplicate' });
    expect(
      await deliver({ eventId: 'evt_3', status: 'requires_input', createdSeconds: now - 10 }),
    ).to.include({
      status: 'stale',
    });
    expect(attested).to.have.length(1);
    expect((await verifications.find('amir'))?.status).to.equal('verified');
  });

  it("hashes the verification id, the status and the marketplace's salt, each of them mattering", () => {
    const hash = verificationStatusHash('vs_1', 'verified', SALT);
    expect(hash).to.match(/^[0-9a-f]{64}$/);
    expect(verificationStatusHash('vs_2', 'verified', SALT)).to.not.equal(hash);
    expect(verificationStatusHash('vs_1', 'rejected', SALT)).to.not.equal(hash);
    expect(verificationStatusHash('vs_1', 'verified', 'cd'.repeat(32))).to.not.equal(hash);
  });
});
