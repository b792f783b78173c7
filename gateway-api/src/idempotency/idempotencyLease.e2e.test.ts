// The idempotency lease: a key left in progress by a crashed request blocks retries only until its
// lease runs out (409 + Retry-After meanwhile), then a retry runs the request again; a create whose
// first attempt had committed answers with that commit instead of ESCROW_EXISTS.
import { expect } from 'chai';
import { gatewayDatabaseSchema } from '@p2p-escrow/scripts';
import { createPool } from '../store/postgres';
import { requestFingerprint } from './idempotencyMiddleware';
import {
  call,
  createRequest,
  gatewayDatabase,
  GatewayReplica,
  newKey,
  tokenOf,
  uniqueEscrowId,
} from '@p2p-escrow/testkit';

function scopeOf(token: string): string {
  const [, payload = ''] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    azp: string;
    sub: string;
  };
  return `${claims.azp}|${claims.sub}`;
}

describe('gateway e2e: idempotency lease of a crashed request', function () {
  this.timeout(180_000);
  const replica = new GatewayReplica(18111);
  const pool = createPool(gatewayDatabase());
  before(() => replica.start());
  after(async () => {
    await replica.stop();
    await pool.end();
  });

  /** Leaves the key as a request that crashed would: claimed, no response, lease ending in `leaseSeconds`. */
  async function crashedClaim(
    token: string,
    key: string,
    body: unknown,
    leaseSeconds: number,
  ): Promise<void> {
    await pool.query(
      `INSERT INTO ${gatewayDatabaseSchema('MarketA')}.idempotency_keys (scope, idem_key, request_hash, expires_at, lease_expires_at)
       VALUES ($1, $2, $3, now() + interval '1 day', now() + make_interval(secs => $4))
       ON CONFLICT (scope, idem_key) DO UPDATE
         SET status = NULL, response_body = NULL, content_type = NULL, lease_expires_at = EXCLUDED.lease_expires_at`,
      [scopeOf(token), key, requestFingerprint('POST', '/v1/escrows', body), leaseSeconds],
    );
  }

  async function expireLease(token: string, key: string): Promise<void> {
    await pool.query(
      `UPDATE ${gatewayDatabaseSchema('MarketA')}.idempotency_keys SET lease_expires_at = now() - interval '1 second'
       WHERE scope = $1 AND idem_key = $2`,
      [scopeOf(token), key],
    );
  }

  it('answers 409 IDEMPOTENCY_REQUEST_IN_PROGRESS with Retry-After during the lease, runs the request after it', async () => {
    const token = await tokenOf('marketa-backend');
    const key = newKey();
    const request = createRequest(uniqueEscrowId('lease', 'e2e'));
    await crashedClaim(token, key, request, 90);

    const during = await call('POST', '/v1/escrows', request, {
      token,
      idempotencyKey: key,
      baseUrl: replica.url,
    });
    expect([during.status, during.body['code']]).to.deep.equal([409, 'IDEMPOTENCY_REQUEST_IN_PROGRESS']);
    expect(Number(during.headers.get('retry-after'))).to.be.within(80, 90);

    await expireLease(token, key);
    const retried = await call('POST', '/v1/escrows', request, {
      token,
      idempotencyKey: key,
      baseUrl: replica.url,
    });
    expect(retried.status, retried.text).to.equal(201);
    const replay = await call('POST', '/v1/escrows', request, {
      token,
      idempotencyKey: key,
      baseUrl: replica.url,
    });
    expect(replay.headers.get('idempotent-replayed')).to.equal('true');
    expect(replay.body).to.deep.equal(retried.body);
  });

  /** A create that committed, whose response was lost in a crash, retried once its lease ran out. */
  async function createRetriedAfterCrash(request: Record<string, unknown>) {
    const token = await tokenOf('marketa-backend');
    const key = newKey();
    const send = () =>
      call('POST', '/v1/escrows', request, { token, idempotencyKey: key, baseUrl: replica.url });
    const first = await send();
    expect(first.status, first.text).to.equal(201);
    // The crash: the commit happened, the response was never stored.
    await crashedClaim(token, key, request, 90);
    await expireLease(token, key);
    const retried = await send();
    expect(retried.status, retried.text).to.equal(201);
    return { first, retried };
  }

  it('a retry of a create that had committed before the crash answers with that commit', async () => {
    const { first, retried } = await createRetriedAfterCrash(
      createRequest(uniqueEscrowId('lease-commit', 'e2e')),
    );
    expect(retried.body['transactionId']).to.equal(first.body['transactionId']);
    expect(retried.body['blockNumber']).to.equal(first.body['blockNumber']);
    expect(retried.body['escrow']).to.deep.equal(first.body['escrow']);
  });

  it('a create without escrowId retried after the lease expired names the same escrow and opens no second one', async () => {
    const request = createRequest('unused');
    delete request['escrowId'];
    const { first, retried } = await createRetriedAfterCrash(request);
    const escrowIdOf = (body: Record<string, unknown>) => (body['escrow'] as { escrowId: string }).escrowId;
    expect(escrowIdOf(retried.body)).to.equal(escrowIdOf(first.body));
    expect(retried.body['transactionId']).to.equal(first.body['transactionId']);
  });

  it('a retry whose escrow id was taken by another caller still gets ESCROW_EXISTS', async () => {
    const escrowId = uniqueEscrowId('lease-taken', 'e2e');
    const request = createRequest(escrowId);
    // MarketB's backend, at its own org's gateway.
    const other = await call('POST', '/v1/escrows', request, { token: await tokenOf('marketb-backend') });
    expect(other.status, other.text).to.equal(201);
    const token = await tokenOf('marketa-backend');
    const key = newKey();
    await crashedClaim(token, key, request, 90);
    await expireLease(token, key);
    const retried = await call('POST', '/v1/escrows', request, {
      token,
      idempotencyKey: key,
      baseUrl: replica.url,
    });
    expect([retried.status, retried.body['code']]).to.deep.equal([409, 'ESCROW_EXISTS']);
  });
});
