import { expect } from 'chai';
import { verifyWebhookSignature, SIGNATURE_HEADER } from '../webhooks/signature';
import {
  AlertDelivery,
  ALERT_ID_HEADER,
  defaultAlertDeliveryOptions,
  type AlertOutcome,
} from './alertDelivery';
import type { SecurityAlert } from './alertRules';

const alert: SecurityAlert = {
  id: 'a1b2c3',
  rule: 'auth-failed-burst-address',
  description: 'a burst',
  severity: 'high',
  eventType: 'auth.failed',
  keyBy: 'ip',
  key: '203.0.113.7',
  count: 10,
  windowSeconds: 60,
  firstSeen: '2026-11-30T12:00:00.000Z',
  lastSeen: '2026-11-30T12:00:09.000Z',
  eventIds: [],
};

const fast = { ...defaultAlertDeliveryOptions, firstBackoffMs: 1 };

interface Posted {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Answers each POST with the next status of `statuses` (the last one repeats). */
function poster(statuses: readonly number[], posted: Posted[]) {
  return (_url: string, body: string, headers: Record<string, string>) => {
    posted.push({ body, headers });
    return Promise.resolve(statuses[Math.min(posted.length - 1, statuses.length - 1)] ?? 500);
  };
}

function outcomes() {
  const seen: AlertOutcome[] = [];
  return { seen, observer: { outcome: (_rule: string, outcome: AlertOutcome) => seen.push(outcome) } };
}

describe('the alert delivery', () => {
  const target = () => Promise.resolve('https://soc.example/alerts');

  it('posts the alert signed with the alert secret, verifiable with the partners’ webhook verifier', async () => {
    const posted: Posted[] = [];
    const { seen, observer } = outcomes();
    const delivery = new AlertDelivery(target, () => 'alert-secret', observer, poster([204], posted), fast);
    delivery.send(alert);
    await delivery.idle();
    expect(seen).to.deep.equal(['delivered']);
    const [first] = posted;
    expect(JSON.parse(first?.body ?? '')).to.deep.equal(alert);
    expect(first?.headers[ALERT_ID_HEADER]).to.equal(alert.id);
    expect(
      verifyWebhookSignature('alert-secret', first?.headers[SIGNATURE_HEADER], first?.body ?? ''),
    ).to.equal(true);
    expect(verifyWebhookSignature('another', first?.headers[SIGNATURE_HEADER], first?.body ?? '')).to.equal(
      false,
    );
  });

  it('retries a failing receiver a bounded number of times', async () => {
    const posted: Posted[] = [];
    const { seen, observer } = outcomes();
    const delivery = new AlertDelivery(target, () => 's', observer, poster([503, 0, 200], posted), fast);
    delivery.send(alert);
    await delivery.idle();
    expect(posted).to.have.length(3);
    expect(seen).to.deep.equal(['delivered']);

    const failing: Posted[] = [];
    const never = new AlertDelivery(target, () => 's', observer, poster([500], failing), fast);
    never.send({ ...alert, id: 'other' });
    await never.idle();
    expect(failing).to.have.length(fast.attempts);
    expect(seen).to.deep.equal(['delivered', 'failed']);
  });

  it('does not repeat a refused alert (4xx) nor send one it already delivered', async () => {
    const posted: Posted[] = [];
    const { seen, observer } = outcomes();
    const refused = new AlertDelivery(target, () => 's', observer, poster([401], posted), fast);
    refused.send(alert);
    await refused.idle();
    expect(posted).to.have.length(1);

    const sent: Posted[] = [];
    const delivery = new AlertDelivery(target, () => 's', observer, poster([200], sent), fast);
    delivery.send(alert);
    delivery.send(alert);
    await delivery.idle();
    delivery.send(alert);
    await delivery.idle();
    expect(sent).to.have.length(1);
    expect(seen).to.deep.equal(['failed', 'duplicate', 'delivered', 'duplicate']);
  });

  it('counts an alert without a target and sends nothing', async () => {
    const posted: Posted[] = [];
    const { seen, observer } = outcomes();
    const delivery = new AlertDelivery(
      () => Promise.resolve(undefined),
      () => 's',
      observer,
      poster([200], posted),
      fast,
    );
    delivery.send(alert);
    await delivery.idle();
    expect(posted).to.have.length(0);
    expect(seen).to.deep.equal(['no_target']);
  });
});
