// Idempotency-Key across a gateway restart, rate limits shared by two replicas, and a commit that
// outlasts its deadline (202 + status later). Each uses gateway processes of its own on spare ports.
import { expect } from 'chai';
import {
  as,
  call,
  createRequest,
  GatewayReplica,
  newKey,
  tokenOf,
  uniqueEscrowId,
} from '@p2p-escrow/testkit';

describe('gateway e2e: idempotency, shared rate limits, slow commits', function () {
  this.timeout(180_000);

  describe('Idempotency-Key across a restart', () => {
    const replica = new GatewayReplica(18091);
    after(() => replica.stop());

    it('replays the first response for the same key and body, refuses another body, after a restart too', async () => {
      await replica.start();
      const key = newKey();
      const escrowId = uniqueEscrowId('idem', 'e2e');
      const request = createRequest(escrowId);
      const token = await tokenOf('marketa-backend');
      const first = await call('POST', '/v1/escrows', request, {
        token,
        idempotencyKey: key,
        baseUrl: replica.url,
      });
      expect(first.status, first.text).to.equal(201);

      const replay = await call('POST', '/v1/escrows', request, {
        token,
        idempotencyKey: key,
        baseUrl: replica.url,
      });
      expect(replay.status).to.equal(201);
      expect(replay.headers.get('idempotent-replayed')).to.equal('true');
      expect(replay.body).to.deep.equal(first.body);

      await replica.stop();
      await replica.start();
      const afterRestart = await call('POST', '/v1/escrows', request, {
        token,
        idempotencyKey: key,
        baseUrl: replica.url,
      });
      expect(afterRestart.status).to.equal(201);
      expect(afterRestart.body).to.deep.equal(first.body);

      const otherBody = await call('POST', '/v1/escrows', createRequest(escrowId, { feeBps: 100 }), {
        token,
        idempotencyKey: key,
        baseUrl: replica.url,
      });
      expect([otherBody.status, otherBody.body['code']]).to.deep.equal([422, 'IDEMPOTENCY_KEY_REUSED']);

      // Without the key the same request is a new attempt, which the ledger refuses.
      const fresh = await call('POST', '/v1/escrows', request, { token, baseUrl: replica.url });
      expect([fresh.status, fresh.body['code']]).to.deep.equal([409, 'ESCROW_EXISTS']);
    });

    it('replays refusals too, so a retried refusal stays a refusal', async () => {
      const key = newKey();
      const body = {};
      const first = await as('marketa-backend', 'POST', '/v1/escrows/e2e-does-not-exist/payment', body, {
        idempotencyKey: key,
      });
      expect([first.status, first.body['code']]).to.deep.equal([404, 'ESCROW_NOT_FOUND']);
      const again = await as('marketa-backend', 'POST', '/v1/escrows/e2e-does-not-exist/payment', body, {
        idempotencyKey: key,
      });
      expect(again.headers.get('idempotent-replayed')).to.equal('true');
      expect(again.body).to.deep.equal(first.body);
    });
  });

  describe('rate limits shared by two replicas', () => {
    const prefix = `gateway:rl:e2e:${newKey()}`;
    const env = { P2P_GATEWAY_RATE_PER_USER: '6', P2P_GATEWAY_RATE_KEY_PREFIX: prefix };
    // Two replicas of MarketB's gateway, where bob is served.
    const first = new GatewayReplica(18092, env, { org: 'MarketB' });
    const second = new GatewayReplica(18093, env, { org: 'MarketB' });
    before(() => Promise.all([first.start(), second.start()]));
    after(() => Promise.all([first.stop(), second.stop()]));

    it('answers 429 with Retry-After once the user’s budget is spent across both replicas', async () => {
      const token = await tokenOf('bob');
      const statuses: number[] = [];
      for (let index = 0; index < 6; index++) {
        const replica = index % 2 === 0 ? first : second;
        statuses.push(
          (await call('GET', '/v1/users/MarketB/bob/reputation', undefined, { token, baseUrl: replica.url }))
            .status,
        );
      }
      expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 200]);
      const limited = await call('GET', '/v1/users/MarketB/bob/reputation', undefined, {
        token,
        baseUrl: first.url,
      });
      expect([limited.status, limited.body['code']]).to.deep.equal([429, 'RATE_LIMITED']);
      expect(Number(limited.headers.get('retry-after'))).to.be.within(1, 60);
      const onOther = await call('GET', '/v1/users/MarketB/bob/reputation', undefined, {
        token,
        baseUrl: second.url,
      });
      expect(onOther.status).to.equal(429);
    });
  });

  describe('a commit that outlasts the deadline', () => {
    // Neither the commit status nor the peers asked afterwards answer in time: only then is it 202.
    const slow = new GatewayReplica(18094, {
      P2P_GATEWAY_COMMIT_DEADLINE_MS: '1',
      P2P_GATEWAY_PEER_CATCH_UP_DEADLINE_MS: '1',
    });
    before(() => slow.start());
    after(() => slow.stop());

    it('answers 202 with the transaction id, whose final status is readable later', async () => {
      const escrowId = uniqueEscrowId('slow', 'e2e');
      const token = await tokenOf('marketa-backend');
      const accepted = await call('POST', '/v1/escrows', createRequest(escrowId), {
        token,
        baseUrl: slow.url,
      });
      expect(accepted.status, accepted.text).to.equal(202);
      const transactionId = String(accepted.body['transactionId']);
      expect(accepted.body['statusUrl']).to.equal(`/v1/transactions/${transactionId}`);
      expect(accepted.headers.get('location')).to.equal(`/v1/transactions/${transactionId}`);
      let status: Record<string, unknown> = {};
      for (let attempt = 0; attempt < 40; attempt++) {
        status = (await as('marketa-backend', 'GET', `/v1/transactions/${transactionId}`)).body;
        if (status['status'] !== 'UNKNOWN') break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(status).to.include({ transactionId, status: 'COMMITTED', validationCode: 'VALID' });
      expect((await as('alice', 'GET', `/v1/escrows/${escrowId}`)).body['state']).to.equal('PROPOSED');
    });
  });
});
