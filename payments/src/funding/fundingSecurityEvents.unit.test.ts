import { SecurityEventEmitter, type SecurityEvent, type SecurityEventSink } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import { recordFundingSecurityEvent } from './fundingSecurityEvents';
import type { FundingRefusalCode } from './fundingRefusals';

class Recorded implements SecurityEventSink {
  readonly name = 'recorded';
  readonly events: SecurityEvent[] = [];
  write(events: readonly SecurityEvent[]): Promise<void> {
    this.events.push(...events);
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const context = {
  source: 'payments-marketa',
  provider: 'stripe',
  endpoint: '/webhooks/provider',
  ip: '192.0.2.44',
};

async function eventsOf(code: FundingRefusalCode): Promise<SecurityEvent[]> {
  const sink = new Recorded();
  const emitter = new SecurityEventEmitter([sink]);
  recordFundingSecurityEvent(emitter, context, {
    status: 'refused',
    refusal: { code, detail: 'why' },
    eventId: 'evt_1',
    escrowId: 'esc-1',
  });
  await emitter.flush();
  return sink.events;
}

describe('security events of refused provider events', () => {
  it('report a webhook that fails verification as webhook.signature_failed', async () => {
    for (const code of [
      'WEBHOOK_SIGNATURE_MISSING',
      'WEBHOOK_SIGNATURE_INVALID',
      'WEBHOOK_TIMESTAMP_STALE',
    ] as const) {
      const [event, ...more] = await eventsOf(code);
      expect(more, code).to.have.length(0);
      expect(event).to.include({
        type: 'webhook.signature_failed',
        source: 'payments-marketa',
        ip: '192.0.2.44',
      });
      expect(event?.detail).to.deep.equal({ code, provider: 'stripe', endpoint: '/webhooks/provider' });
    }
  });

  it('report a signed event that contradicts the ledger as provider.event_forged', async () => {
    const [event] = await eventsOf('FUNDING_AMOUNT_MISMATCH');
    expect(event).to.include({ type: 'provider.event_forged', severity: 'critical' });
    expect(event?.detail).to.include({
      code: 'FUNDING_AMOUNT_MISMATCH',
      providerEventId: 'evt_1',
      escrowId: 'esc-1',
    });
  });

  it('leave ordinary races (already funded, not fundable yet) out', async () => {
    expect(await eventsOf('FUNDING_ALREADY_FUNDED')).to.have.length(0);
    expect(await eventsOf('FUNDING_ESCROW_NOT_FUNDABLE')).to.have.length(0);
  });
});
