// The SDK's verifier against the notifier's own signer (offchain-db's signWebhook), so the two cannot
// drift apart: whatever the notifier signs verifies, and any change to body, secret or time does not.
import { signWebhook } from '@p2p-escrow/offchain-db';
import { expect } from 'chai';
import * as fc from 'fast-check';
import type { WebhookVerificationCode } from '../errors/clientError';
import { verifyWebhook } from './webhookEvent';
import { verifyWebhookSignature, WebhookVerificationError } from './webhookSignature';

function codeOf(action: () => unknown): WebhookVerificationCode | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    expect(error).to.be.instanceOf(WebhookVerificationError);
    return (error as WebhookVerificationError).verificationCode;
  }
}

const secret = fc.string({ minLength: 1, maxLength: 64 });
const body = fc.uint8Array({ minLength: 0, maxLength: 512 });
const timestamp = fc.integer({ min: 1_600_000_000, max: 2_500_000_000 });

describe('webhook signature verification', () => {
  it('accepts what the notifier signs, within the tolerance, with the secret or during a rotation', () => {
    fc.assert(
      fc.property(
        secret,
        secret,
        body,
        timestamp,
        fc.integer({ min: -300, max: 300 }),
        (next, old, raw, at, skew) => {
          const bytes = Buffer.from(raw);
          const now = at + skew;
          expect(
            verifyWebhookSignature(signWebhook([next], bytes, at), bytes, { secrets: next, nowSeconds: now }),
          ).to.equal(at);
          const rotating = signWebhook([next, old], bytes, at);
          for (const held of [[next], [old], [old, next], ['whsec_unrelated', next]])
            expect(verifyWebhookSignature(rotating, bytes, { secrets: held, nowSeconds: now })).to.equal(at);
        },
      ),
    );
  });

  it('refuses any changed byte of the body with WEBHOOK_SIGNATURE_MISMATCH', () => {
    fc.assert(
      fc.property(
        secret,
        body.filter((raw) => raw.length > 0),
        timestamp,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (key, raw, at, where, flip) => {
          const header = signWebhook([key], Buffer.from(raw), at);
          const tampered = Buffer.from(raw);
          const index = where % tampered.length;
          tampered[index] = (tampered[index]! ^ flip) & 0xff;
          expect(
            codeOf(() => verifyWebhookSignature(header, tampered, { secrets: key, nowSeconds: at })),
          ).to.equal('WEBHOOK_SIGNATURE_MISMATCH');
        },
      ),
    );
  });

  it('refuses another secret with WEBHOOK_SIGNATURE_MISMATCH', () => {
    fc.assert(
      fc.property(secret, secret, body, timestamp, (signer, holder, raw, at) => {
        fc.pre(signer !== holder);
        const bytes = Buffer.from(raw);
        const header = signWebhook([signer], bytes, at);
        expect(
          codeOf(() => verifyWebhookSignature(header, bytes, { secrets: holder, nowSeconds: at })),
        ).to.equal('WEBHOOK_SIGNATURE_MISMATCH');
      }),
    );
  });

  it('refuses a timestamp beyond the tolerance either way with WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', () => {
    fc.assert(
      fc.property(
        secret,
        body,
        timestamp,
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.boolean(),
        (key, raw, at, beyond, late) => {
          const bytes = Buffer.from(raw);
          const header = signWebhook([key], bytes, at);
          const now = late ? at + 300 + beyond : at - 300 - beyond;
          expect(
            codeOf(() => verifyWebhookSignature(header, bytes, { secrets: key, nowSeconds: now })),
          ).to.equal('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE');
        },
      ),
    );
  });

  it('names a missing, malformed or secretless verification by its code', () => {
    const options = { secrets: 'whsec_a', nowSeconds: 1_700_000_000 };
    expect(codeOf(() => verifyWebhookSignature(undefined, '{}', options))).to.equal(
      'WEBHOOK_SIGNATURE_MISSING',
    );
    expect(codeOf(() => verifyWebhookSignature('', '{}', options))).to.equal('WEBHOOK_SIGNATURE_MISSING');
    for (const header of [
      'v1=abc',
      't=1700000000',
      't=x,v1=' + 'a'.repeat(64),
      't=1700000000,v1=' + 'A'.repeat(64),
    ])
      expect(
        codeOf(() => verifyWebhookSignature(header, '{}', options)),
        header,
      ).to.equal('WEBHOOK_SIGNATURE_MALFORMED');
    const header = signWebhook(['whsec_a'], '{}', 1_700_000_000);
    expect(codeOf(() => verifyWebhookSignature(header, '{}', { ...options, secrets: [] }))).to.equal(
      'WEBHOOK_NO_SECRET',
    );
  });

  it('ignores signature schemes it does not know', () => {
    const header = `${signWebhook(['whsec_a'], '{}', 1_700_000_000)},v2=${'f'.repeat(64)}`;
    expect(verifyWebhookSignature(header, '{}', { secrets: 'whsec_a', nowSeconds: 1_700_000_000 })).to.equal(
      1_700_000_000,
    );
  });

  it('returns the verified event, and refuses a signed body that is no escrow event', () => {
    const event = JSON.stringify({ eventId: 'tx:0', type: 'Released', escrowId: 'e-1', data: {} });
    const at = 1_700_000_000;
    const options = { secrets: 'whsec_a', nowSeconds: at };
    expect(verifyWebhook(signWebhook(['whsec_a'], event, at), event, options)).to.include({
      type: 'Released',
      escrowId: 'e-1',
    });
    for (const raw of ['not json', '[]', '{"eventId":1}'])
      expect(
        codeOf(() => verifyWebhook(signWebhook(['whsec_a'], raw, at), raw, options)),
        raw,
      ).to.equal('WEBHOOK_BODY_INVALID');
  });
});
