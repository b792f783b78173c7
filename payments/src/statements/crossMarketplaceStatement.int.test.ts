// The money of a cross-marketplace trade, end to end on the live stack with stripe-mock as the
// provider: alice (MarketA) buys from bea (MarketB) through the marketplaces' gateways, MarketA's
// payment route opens the payment and the provider's signed event funds it, the trade is shipped,
// delivered and released, the seller's payout becomes an obligation MarketA owes MarketB, and after
// the settlement period the operators' statement commands propose the pair's statement, pay its net
// with one transfer, and pay bea, whose payout the ledger records with the provider's transfer id.
import { obligationFromBytes, parseEscrow, type ObligationRecord } from '@p2p-escrow/chaincode';
import {
  as,
  createRequest,
  ensureStripeMock,
  evaluateEscrow,
  eventually,
  fabricSuite,
  payThroughProvider,
  requireFabricNetwork,
  runOperatorCommand,
  uniqueEscrowId,
  type CommandRun,
  untilPast,
  type StripeMockSession,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import { paymentSucceededDelivery } from '../stripe/stripeTestDeliveries';

const EXIT_REFUSED = 4;

function statementCommand(org: string, command: string, ...args: string[]): Promise<CommandRun> {
  return runOperatorCommand(['payments', command, '--org', org, ...args, '--json']);
}

function jsonOf(run: CommandRun): Record<string, unknown> {
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function jsonListOf(run: CommandRun): Record<string, unknown>[] {
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
  return JSON.parse(run.stdout) as Record<string, unknown>[];
}

describe('a cross-marketplace trade is paid, released, netted into a statement and paid out (live)', function () {
  this.timeout(300_000);
  const pool = fabricSuite();
  let stripeMock: StripeMockSession;

  before(async () => {
    await requireFabricNetwork();
    stripeMock = await ensureStripeMock();
  });
  after(async () => {
    await stripeMock.release();
  });

  async function obligationOf(escrowId: string): Promise<ObligationRecord> {
    const answer = await evaluateEscrow(pool.of('marketa-payments'), 'readObligation', [escrowId]);
    return obligationFromBytes(JSON.stringify(answer));
  }

  it("pays bea through the statement MarketA and MarketB settle, recorded with the transfer's id", async () => {
    const escrowId = uniqueEscrowId('stmt-flow', 'e2e');
    const route = `/v1/escrows/${escrowId}`;
    const created = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId));
    expect(created.status, created.text).to.equal(201);
    const accepted = await as('bea', 'POST', `${route}/accept`, {});
    expect(accepted.status, accepted.text).to.equal(200);
    const paid = await payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery, ['bea']);
    expect(paid.delivery.status, paid.delivery.text).to.equal(200);
    expect(paid.paymentId).to.match(/^pi_/);
    for (const [caller, path, body, state] of [
      ['bea', 'ship', { carrier: 'DHL', trackingRef: 'STMT1' }, 'SHIPPED'],
      ['alice', 'confirm-delivery', undefined, 'DELIVERED'],
      ['alice', 'release', {}, 'RELEASED'],
    ] as const) {
      const moved = await as(caller, 'POST', `${route}/${path}`, body);
      expect(moved.status, `${path}: ${moved.text}`).to.equal(200);
      expect((moved.body['escrow'] as Record<string, unknown>)['state']).to.equal(state);
    }

    const obligation = await obligationOf(escrowId);
    expect(obligation).to.include({ payer: 'MarketA', payee: 'MarketB', status: 'open', currency: 'EUR' });
    const statementId = `${obligation.period}:MarketA:MarketB`;

    // Before the period ends the ledger refuses the statement (the command says so and exits 4), so
    // each command run before then is wasted: the first waits for the period's end, and the ledger's
    // clock, which stamps the proposal, may still be a moment behind.
    await untilPast(new Date(obligation.periodEndsAt));
    const proposed = await eventually(
      `statement ${statementId} proposed once its period ended`,
      async () => {
        const run = await statementCommand(
          'MarketA',
          'statement-propose',
          '--period',
          obligation.period,
          '--with',
          'MarketB',
        );
        if (run.code === EXIT_REFUSED && run.stderr.includes('PERIOD_OPEN')) return undefined;
        return jsonOf(run);
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(proposed).to.include({ statementId, status: 'proposed', payer: 'MarketA', payee: 'MarketB' });
    expect(proposed['escrowIds']).to.include(escrowId);
    // Proposing again shows the statement the ledger holds.
    expect(
      jsonOf(
        await statementCommand(
          'MarketA',
          'statement-propose',
          '--period',
          obligation.period,
          '--with',
          'MarketB',
        ),
      ),
    ).to.include({ statementId, status: 'proposed' });

    // MarketB is not the payer, and cannot pay its sellers before the transfer is settled.
    expect((await statementCommand('MarketB', 'statement-pay', statementId)).code).to.equal(EXIT_REFUSED);
    expect((await statementCommand('MarketB', 'statement-payout', statementId)).code).to.equal(EXIT_REFUSED);

    const payment = jsonOf(
      await statementCommand('MarketA', 'statement-pay', statementId, '--to-account', 'acct_1MarketB'),
    );
    const transfer = payment['transfer'] as Record<string, unknown>;
    expect(transfer['providerId']).to.match(/^tr_/);
    expect(payment['statement']).to.deep.include({ status: 'settled' });
    const again = jsonOf(await statementCommand('MarketA', 'statement-pay', statementId));
    expect(again['transfer'], 'a settled statement is paid once').to.equal(null);

    const registered = await runOperatorCommand([
      'payments',
      'payee',
      'register',
      '--org',
      'MarketB',
      'bea',
      'acct_1SellerBea',
    ]);
    expect(registered.code, registered.stderr).to.equal(0);
    const payouts = await eventually(
      "MarketB's peer sees the settled statement and bea is paid",
      async () => {
        const run = await statementCommand('MarketB', 'statement-payout', statementId);
        if (run.code === EXIT_REFUSED && run.stderr.includes('STATEMENT_NOT_SETTLED')) return undefined;
        return jsonListOf(run);
      },
      { timeoutMs: 30_000, intervalMs: 1_000 },
    );
    const payout = payouts.find((entry) => entry['escrowId'] === escrowId);
    expect(payout?.['providerId']).to.match(/^tr_/);
    const escrow = parseEscrow(await evaluateEscrow(pool.of('marketb-payments'), 'readEscrow', [escrowId]));
    expect(escrow.settlements.seller).to.deep.include({
      amount: escrow.sellerPayout,
      providerRef: payout?.['providerId'],
    });
    expect(escrow.settlements.seller?.recordedBy).to.include({ organization: 'MarketB', role: 'payments' });
    // Once more: every seller of the statement is recorded, nobody is paid twice.
    expect(jsonListOf(await statementCommand('MarketB', 'statement-payout', statementId))).to.deep.equal([]);
    const shown = jsonOf(await statementCommand('MarketB', 'statement-show', statementId));
    expect(shown).to.include({ status: 'settled' });
    expect((shown['settlement'] as Record<string, unknown>)['transferRef']).to.equal(transfer['providerId']);
  });
});
