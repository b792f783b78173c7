// A burst of bad logins at a gateway reaches the SOC: each refused token is a security event on the
// topic and in the gateway's JSON-lines file, and the alerting service posts one signed alert to the
// alert webhook, here this test's own receiver on 127.0.0.1 (the alerting service reads its target
// from the settings file at each alert, so no restart is needed). One request fewer than the
// threshold, from another address, raises none.
import {
  ALERT_ID_HEADER,
  readAlertRules,
  SIGNATURE_HEADER,
  verifyWebhookSignature,
  writeAlertTarget,
} from '@p2p-escrow/offchain-db';
import { readSecurityEvent, type SecurityEvent } from '@p2p-escrow/fabric-client';
import {
  alertRulesFile,
  alertWebhookSecret,
  alertWebhookUrlFile,
  eventually,
  gatewayUrl,
  localFetch,
  PartnerEndpoint,
  securityEventsFile,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

const RULE = 'auth-failed-burst-address';

/** An address of the benchmarking range no other test uses: the gateway trusts the loopback proxy. */
function freshAddress(): string {
  const [a = 0, b = 0] = crypto.randomBytes(2);
  return `198.18.${String(a)}.${String(b)}`;
}

/** A bearer token the realm never signed. */
function forgedToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sub: 'nobody', exp: 4102444800 })}.${crypto
    .randomBytes(64)
    .toString('base64url')}`;
}

async function badLogins(address: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const response = await localFetch(`${gatewayUrl}/v1/users/MarketB/bob/reputation`, {
      headers: { authorization: `Bearer ${forgedToken()}`, 'x-forwarded-for': address },
    });
    expect(response.status).to.equal(401);
    await response.arrayBuffer();
  }
}

function fileEventsFrom(address: string): SecurityEvent[] {
  return fs
    .readFileSync(securityEventsFile('gateway-marketa'), 'utf8')
    .split('\n')
    .filter((line) => line.includes(address))
    .map((line) => readSecurityEvent(JSON.parse(line)));
}

describe('gateway e2e: security events and alerts', function () {
  this.timeout(120_000);
  const receiver = new PartnerEndpoint(ALERT_ID_HEADER, SIGNATURE_HEADER);
  const rule = readAlertRules(JSON.parse(fs.readFileSync(alertRulesFile, 'utf8'))).find(
    (candidate) => candidate.name === RULE,
  );

  before(async () => {
    receiver.up = true;
    writeAlertTarget(alertWebhookUrlFile, await receiver.start());
  });
  after(async () => {
    fs.rmSync(alertWebhookUrlFile, { force: true });
    await receiver.close();
  });

  it('posts one signed alert for a burst of bad tokens from one address, none for one fewer', async () => {
    const threshold = rule?.threshold ?? 0;
    expect(threshold).to.be.greaterThan(1);
    const quiet = freshAddress();
    const burst = freshAddress();
    await badLogins(quiet, threshold - 1);
    await badLogins(burst, threshold);

    const alert = await eventually('the alert for the burst', () =>
      receiver.received.find((delivery) => delivery.body.includes(`"key":"${burst}"`)),
    );
    expect(verifyWebhookSignature(alertWebhookSecret(), alert.signature, alert.body)).to.equal(true);
    const body = JSON.parse(alert.body) as Record<string, unknown>;
    expect(body).to.include({ rule: RULE, key: burst, count: threshold, eventType: 'auth.failed' });
    expect(alert.eventId).to.equal(body['id']);

    // One partition, read in order: the quiet address's events were counted before the burst's.
    expect(receiver.received.filter((delivery) => delivery.body.includes(quiet))).to.have.length(0);
    expect(receiver.received.filter((delivery) => delivery.body.includes(burst))).to.have.length(1);

    // The same events, in the gateway's own file, with the problem's code and the request id.
    const logged = await eventually('the file events', () => {
      const events = fileEventsFrom(burst);
      return events.length === threshold ? events : undefined;
    });
    for (const event of logged) {
      expect(event).to.include({ type: 'auth.failed', source: 'gateway-marketa', ip: burst });
      expect(event.detail).to.include({ code: 'TOKEN_INVALID', method: 'GET' });
      expect(event.requestId).to.be.a('string');
    }
    expect(new Set(logged.map((event) => event.id))).to.deep.equal(new Set(body['eventIds'] as string[]));
  });
});
