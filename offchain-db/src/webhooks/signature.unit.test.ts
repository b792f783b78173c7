import { expect } from 'chai';
import { signWebhook, verifyWebhookSignature } from './signature';

describe('webhook signature', () => {
  const body = JSON.stringify({ eventId: 'tx1:0', type: 'EscrowCreated', escrowId: 'e-1' });
  const now = 1_800_000_000;

  it('verifies a body signed with the subscription secret', () => {
    const header = signWebhook(['whsec_a'], body, now);
    expect(header).to.match(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('whsec_a', header, body, 300, now + 10)).to.equal(true);
  });

  it('refuses a tampered body, a wrong secret and a malformed header', () => {
    const header = signWebhook(['whsec_a'], body, now);
    expect(verifyWebhookSignature('whsec_a', header, body.replace('e-1', 'e-2'), 300, now)).to.equal(false);
    expect(verifyWebhookSignature('whsec_b', header, body, 300, now)).to.equal(false);
    expect(verifyWebhookSignature('whsec_a', 'v1=abc', body, 300, now)).to.equal(false);
    expect(verifyWebhookSignature('whsec_a', undefined, body, 300, now)).to.equal(false);
  });

  it('refuses a timestamp outside the tolerance, in either direction', () => {
    const header = signWebhook(['whsec_a'], body, now);
    expect(verifyWebhookSignature('whsec_a', header, body, 300, now + 301)).to.equal(false);
    expect(verifyWebhookSignature('whsec_a', header, body, 300, now - 301)).to.equal(false);
    expect(verifyWebhookSignature('whsec_a', header, body, 300, now + 300)).to.equal(true);
  });

  it('during a rotation, signs with both secrets so either verifies; afterwards only the new one', () => {
    const during = signWebhook(['whsec_new', 'whsec_old'], body, now);
    expect(during.split(',')).to.have.length(3);
    expect(verifyWebhookSignature('whsec_old', during, body, 300, now)).to.equal(true);
    expect(verifyWebhookSignature('whsec_new', during, body, 300, now)).to.equal(true);
    expect(verifyWebhookSignature(['whsec_new', 'whsec_old'], during, body, 300, now)).to.equal(true);
    const after = signWebhook(['whsec_new'], body, now);
    expect(verifyWebhookSignature('whsec_old', after, body, 300, now)).to.equal(false);
    expect(verifyWebhookSignature(['whsec_other', 'whsec_new'], after, body, 300, now)).to.equal(true);
  });
});
