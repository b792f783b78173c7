import type { Escrow } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import { readStripeConfig } from '../stripe/stripeConfig';
import { StripePaymentProvider } from '../stripe/stripePaymentProvider';
import { paymentSucceededDelivery, signProviderPayload } from '../stripe/stripeTestDeliveries';
import { LedgerRefusal, type FundingLedger, type ProcessedEvent, type ProcessedEvents } from './fundingPorts';
import { PaymentWebhook, type WebhookOutcome } from './paymentWebhook';

const secret = 'whsec_unit_funding_secret';
// Verification only: nothing is sent to a provider.
const provider = new StripePaymentProvider(
  readStripeConfig({
    P2P_STRIPE_API_KEY: 'sk_test_unit',
    P2P_STRIPE_HOST: '127.0.0.1',
    P2P_STRIPE_PORT: '9',
    P2P_STRIPE_PROTOCOL: 'http',
    P2P_STRIPE_WEBHOOK_SECRET: secret,
  }),
);

function acceptedEscrow(overrides: Partial<Escrow> = {}): Escrow {
  return {
    escrowId: 'esc-1',
    state: 'CREATED',
    buyer: { marketplace: 'MarketA', userId: 'alice' },
    seller: { marketplace: 'MarketB', userId: 'bea' },
    currency: 'EUR',
    amount: '12345',
    buyerFee: '0',
    acceptance: { acceptedAt: '2026-11-30T00:00:00.000Z' },
    funding: null,
    ...overrides,
  } as unknown as Escrow;
}

/** The ledger as the chaincode would answer, in memory: fund moves CREATED to FUNDED once. */
class MemoryLedger implements FundingLedger {
  readonly funded: { escrowId: string; paymentId: string }[] = [];
  failNextFund: Error | undefined;
  constructor(public escrows: Map<string, Escrow>) {}
  readEscrow(escrowId: string): Promise<Escrow | undefined> {
    return Promise.resolve(this.escrows.get(escrowId));
  }
  fund(escrow: Escrow, paymentId: string): Promise<{ transactionId: string }> {
    if (this.failNextFund !== undefined) {
      const failure = this.failNextFund;
      this.failNextFund = undefined;
      return Promise.reject(failure);
    }
    const current = this.escrows.get(escrow.escrowId);
    if (current?.state !== 'CREATED')
      return Promise.reject(new LedgerRefusal('INVALID_STATE', 'not CREATED'));
    this.escrows.set(
      escrow.escrowId,
      acceptedEscrow({
        ...current,
        state: 'FUNDED',
        funding: { providerRef: paymentId } as Escrow['funding'],
      }),
    );
    this.funded.push({ escrowId: escrow.escrowId, paymentId });
    return Promise.resolve({ transactionId: `tx-${String(this.funded.length)}` });
  }
}

class MemoryProcessedEvents implements ProcessedEvents {
  readonly events = new Map<string, ProcessedEvent>();
  find(eventId: string) {
    return Promise.resolve(this.events.get(eventId));
  }
  record(event: ProcessedEvent) {
    this.events.set(event.eventId, event);
    return Promise.resolve();
  }
}

describe('funding follows a verified payment', () => {
  let ledger: MemoryLedger;
  let processed: MemoryProcessedEvents;
  let webhook: PaymentWebhook;
  const encoder = new TextEncoder();

  beforeEach(() => {
    ledger = new MemoryLedger(new Map([['esc-1', acceptedEscrow()]]));
    processed = new MemoryProcessedEvents();
    webhook = new PaymentWebhook({
      marketplace: 'MarketA',
      provider,
      ledger,
      processed,
      now: () => new Date('2026-11-30T01:00:00Z'),
    });
  });

  const deliver = (spec: Partial<Parameters<typeof paymentSucceededDelivery>[0]> = {}, key = secret) => {
    const delivery = paymentSucceededDelivery(
      { paymentId: 'pi_1', escrowId: 'esc-1', amountMinor: 12_345n, currency: 'EUR', ...spec },
      key,
    );
    return webhook.receive(encoder.encode(delivery.body), delivery.signature);
  };
  const codeOf = (outcome: WebhookOutcome) =>
    outcome.status === 'refused' ? outcome.refusal.code : outcome.status;

  it('funds an accepted escrow with the payment id of a verified, matching payment', async () => {
    const outcome = await deliver();
    expect(outcome).to.deep.include({ status: 'funded', escrowId: 'esc-1', paymentId: 'pi_1' });
    expect(ledger.funded).to.deep.equal([{ escrowId: 'esc-1', paymentId: 'pi_1' }]);
    expect([...processed.events.keys()]).to.have.length(1);
  });

  it('funds an escrow whose buyer pays a fee share with the amount and that share, never the goods alone', async () => {
    ledger.escrows.set('esc-1', acceptedEscrow({ buyerFee: '308' }));
    const goodsOnly = await deliver();
    expect(codeOf(goodsOnly)).to.equal('FUNDING_AMOUNT_MISMATCH');
    expect(ledger.funded).to.deep.equal([]);
    const outcome = await deliver({ paymentId: 'pi_2', amountMinor: 12_653n });
    expect(outcome).to.deep.include({ status: 'funded', paymentId: 'pi_2' });
  });

  it('funds once when the same event is delivered twice, and when both deliveries arrive at once', async () => {
    const delivery = paymentSucceededDelivery(
      { paymentId: 'pi_1', escrowId: 'esc-1', amountMinor: 12_345n, currency: 'EUR' },
      secret,
    );
    const body = encoder.encode(delivery.body);
    const outcomes = await Promise.all([
      webhook.receive(body, delivery.signature),
      webhook.receive(body, delivery.signature),
    ]);
    const again = await webhook.receive(body, delivery.signature);
    expect([...outcomes, again].map(codeOf)).to.deep.equal(['funded', 'duplicate', 'duplicate']);
    expect(ledger.funded).to.have.length(1);
  });

  it('answers another event of the funding payment as a duplicate (the ledger already holds it)', async () => {
    await deliver({ eventId: 'evt_first' });
    expect(codeOf(await deliver({ eventId: 'evt_second' }))).to.equal('duplicate');
    expect(ledger.funded).to.have.length(1);
  });

  it('takes a fund lost to a concurrent funding by the same payment as that funding', async () => {
    // Another delivery of the payment committed first: this fund fails, the re-read finds that funding.
    ledger.fund = () => {
      ledger.escrows.set(
        'esc-1',
        acceptedEscrow({ state: 'FUNDED', funding: { providerRef: 'pi_1' } as Escrow['funding'] }),
      );
      return Promise.reject(new Error('MVCC_READ_CONFLICT'));
    };
    expect(codeOf(await deliver())).to.equal('duplicate');
    expect(processed.events.size).to.equal(1);
  });

  const refusals: [string, () => Promise<WebhookOutcome>, string][] = [
    ['a forged signature', () => deliver({}, 'whsec_someone_else'), 'WEBHOOK_SIGNATURE_INVALID'],
    [
      'a replayed old event (stale timestamp)',
      () => deliver({ createdSeconds: Math.floor(Date.now() / 1000) - 3600 }),
      'WEBHOOK_TIMESTAMP_STALE',
    ],
    ['an unknown escrow', () => deliver({ escrowId: 'esc-nope' }), 'FUNDING_ESCROW_UNKNOWN'],
    ['a payment naming no escrow', () => deliver({ escrowId: undefined }), 'FUNDING_ESCROW_UNKNOWN'],
    ['a wrong amount', () => deliver({ amountMinor: 12_344n }), 'FUNDING_AMOUNT_MISMATCH'],
    ['a wrong currency', () => deliver({ currency: 'USD' }), 'FUNDING_CURRENCY_MISMATCH'],
  ];
  for (const [what, attempt, code] of refusals)
    it(`refuses ${what} with ${code} and changes nothing`, async () => {
      expect(codeOf(await attempt())).to.equal(code);
      expect(ledger.funded).to.deep.equal([]);
      expect(processed.events.size).to.equal(0);
    });

  it('refuses an escrow whose buyer trades on another marketplace', async () => {
    ledger.escrows.set('esc-1', acceptedEscrow({ buyer: { marketplace: 'MarketB', userId: 'bob' } }));
    expect(codeOf(await deliver())).to.equal('FUNDING_MARKETPLACE_MISMATCH');
    expect(ledger.funded).to.deep.equal([]);
  });

  it('refuses an escrow not accepted yet, and one funded by another payment', async () => {
    ledger.escrows.set('esc-1', acceptedEscrow({ state: 'PROPOSED', acceptance: null }));
    expect(codeOf(await deliver())).to.equal('FUNDING_ESCROW_NOT_FUNDABLE');
    ledger.escrows.set(
      'esc-1',
      acceptedEscrow({ state: 'FUNDED', funding: { providerRef: 'pi_other' } as Escrow['funding'] }),
    );
    expect(codeOf(await deliver())).to.equal('FUNDING_ALREADY_FUNDED');
    expect(ledger.funded).to.deep.equal([]);
  });

  it('turns a chaincode refusal of fund into FUNDING_LEDGER_REFUSED', async () => {
    ledger.failNextFund = new LedgerRefusal('DEADLINE_PASSED', 'fundBy has passed');
    const outcome = await deliver();
    expect(codeOf(outcome)).to.equal('FUNDING_LEDGER_REFUSED');
    expect(processed.events.size).to.equal(0);
  });

  it('lets a transient ledger failure through, so the provider delivers again', async () => {
    ledger.failNextFund = new Error('peer unavailable');
    const failed = await deliver().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed).to.be.instanceOf(Error);
    expect(processed.events.size).to.equal(0);
    expect(codeOf(await deliver())).to.equal('funded');
  });

  it('acknowledges a payment event it does not act on without touching the ledger', async () => {
    const body = JSON.stringify({
      id: 'evt_other',
      object: 'event',
      type: 'charge.updated',
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: 'ch_1', object: 'charge' } },
    });
    const outcome = await webhook.receive(encoder.encode(body), signProviderPayload(body, secret));
    expect(outcome).to.deep.equal({ status: 'ignored', eventId: 'evt_other', eventType: 'charge.updated' });
    expect(ledger.funded).to.deep.equal([]);
  });
});
