import { prepareServerTls } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiError } from '../errors/apiError';
import { JoseTokenVerifier } from './tokenVerifier';

const issuer = 'http://127.0.0.1/realms/p2p-escrow';

describe('token verification (jose, JWKS)', () => {
  let server: http.Server;
  let verifier: JoseTokenVerifier;
  let realmKey: KeyLike;
  let otherKey: KeyLike;

  before(async () => {
    const realm = await generateKeyPair('RS256');
    realmKey = realm.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(realm.publicKey)), kid: 'realm-1', alg: 'RS256', use: 'sig' };
    server = http.createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    verifier = new JoseTokenVerifier({
      issuer,
      jwksUrl: verifierJwksUrl(port),
      audience: 'escrow-gateway',
    });
  });

  after(() => {
    server.close();
  });

  function verifierJwksUrl(port = (server.address() as AddressInfo).port): string {
    return `http://127.0.0.1:${String(port)}/certs`;
  }

  function sign(
    claims: JWTPayload,
    options: { key?: KeyLike; exp?: number; nbf?: number; aud?: string; iss?: string } = {},
  ) {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({
      realm_access: { roles: ['buyer'] },
      preferred_username: 'alice',
      marketplace: 'MarketA',
      azp: 'escrow-web',
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'realm-1' })
      .setSubject('user-1')
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? 'escrow-gateway')
      .setIssuedAt(now - 10)
      .setExpirationTime(options.exp ?? now + 300);
    if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
    return jwt.sign(options.key ?? realmKey);
  }

  async function refusal(token: string): Promise<string> {
    try {
      await verifier.verify(token);
    } catch (error) {
      expect(error).to.be.instanceOf(ApiError);
      expect((error as ApiError).status).to.equal(401);
      return (error as ApiError).code;
    }
    return expect.fail('token accepted');
  }

  it('accepts a realm token and reads the principal', async () => {
    const principal = await verifier.verify(await sign({}));
    expect(principal).to.include({ userId: 'alice', marketplace: 'MarketA', clientId: 'escrow-web' });
    expect([...principal.roles]).to.deep.equal(['buyer']);
  });

  it('refuses expired, not-yet-valid, wrong-audience, other-realm and forged tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await refusal(await sign({}, { exp: now - 60 }))).to.equal('TOKEN_EXPIRED');
    expect(await refusal(await sign({}, { nbf: now + 600 }))).to.equal('TOKEN_INVALID');
    expect(await refusal(await sign({}, { aud: 'account' }))).to.equal('TOKEN_INVALID');
    // Another org's realm, with its own keys or this realm's: named, before any signature check.
    expect(await refusal(await sign({}, { iss: 'http://127.0.0.1/realms/other' }))).to.equal(
      'TOKEN_ISSUER_UNTRUSTED',
    );
    expect(await refusal(await sign({}, { iss: 'http://127.0.0.1/realms/other', key: otherKey }))).to.equal(
      'TOKEN_ISSUER_UNTRUSTED',
    );
    expect(await refusal(await sign({}, { key: otherKey }))).to.equal('TOKEN_INVALID');
    expect(await refusal('not.a.jwt')).to.equal('TOKEN_INVALID');
  });

  it('refuses an arbiter or auditor token that does not prove a one-time code, whatever else it proves', async () => {
    for (const role of ['arbiter', 'auditor']) {
      const overseer = { realm_access: { roles: [role] }, marketplace: 'Oversight' };
      expect(await refusal(await sign(overseer))).to.equal('SECOND_FACTOR_REQUIRED');
      expect(await refusal(await sign({ ...overseer, amr: ['pwd'] }))).to.equal('SECOND_FACTOR_REQUIRED');
      expect(await refusal(await sign({ ...overseer, amr: 'otp' }))).to.equal('SECOND_FACTOR_REQUIRED');
    }
    // A buyer who is also an arbiter does not escape the rule.
    const both = { realm_access: { roles: ['buyer', 'arbiter'] }, amr: ['pwd'] };
    expect(await refusal(await sign(both))).to.equal('SECOND_FACTOR_REQUIRED');
  });

  it('accepts an arbiter token whose amr names the one-time code, and buyers with a password alone', async () => {
    const arbiter = await verifier.verify(
      await sign({ realm_access: { roles: ['arbiter'] }, marketplace: 'Oversight', amr: ['pwd', 'otp'] }),
    );
    expect([...arbiter.roles]).to.deep.equal(['arbiter']);
    const buyer = await verifier.verify(await sign({ amr: ['pwd'] }));
    expect([...buyer.roles]).to.deep.equal(['buyer']);
  });

  it("refuses, with the org's verifier, a principal of another org (403 ORGANIZATION_NOT_SERVED)", async () => {
    const options = { issuer, jwksUrl: verifierJwksUrl(), audience: 'escrow-gateway' };
    const marketA = new JoseTokenVerifier({ ...options, organization: 'MarketA' });
    const oversight = new JoseTokenVerifier({ ...options, organization: 'Oversight' });
    const arbiter = { realm_access: { roles: ['arbiter'] }, marketplace: 'Oversight', amr: ['pwd', 'otp'] };
    expect((await marketA.verify(await sign({}))).userId).to.equal('alice');
    expect((await oversight.verify(await sign(arbiter))).roles.has('arbiter')).to.equal(true);
    for (const [gateway, token] of [
      [marketA, await sign({ marketplace: 'MarketB' })],
      [marketA, await sign(arbiter)],
      [oversight, await sign({})],
    ] as const) {
      const error = await gateway.verify(token).then(
        () => expect.fail('accepted'),
        (caught: unknown) => caught as ApiError,
      );
      expect([error.status, error.code]).to.deep.equal([403, 'ORGANIZATION_NOT_SERVED']);
    }
  });
});

describe('token verification against a key set served over TLS by a private CA', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwks-tls-'));
  const tls = prepareServerTls(dir, ['127.0.0.1'], 'jwks');
  let server: https.Server;
  let jwksUrl = '';
  let token = '';

  before(async () => {
    const realm = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(realm.publicKey)), kid: 'realm-tls', alg: 'RS256', use: 'sig' };
    server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `https://127.0.0.1:${String((server.address() as AddressInfo).port)}/certs`;
    token = await new SignJWT({ azp: 'escrow-web', preferred_username: 'alice', marketplace: 'MarketA' })
      .setProtectedHeader({ alg: 'RS256', kid: 'realm-tls' })
      .setSubject('user-1')
      .setIssuer(issuer)
      .setAudience('escrow-gateway')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(realm.privateKey);
  });

  after(() => {
    // The verifier keeps its connection alive, as it does in service.
    server.closeAllConnections();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const verifierTrusting = (caFile?: string) =>
    new JoseTokenVerifier({ issuer, jwksUrl, audience: 'escrow-gateway', ...(caFile ? { caFile } : {}) });

  it('fetches the key set from a server of the CA it is told to trust', async () => {
    const verifier = verifierTrusting(tls.caCertPath);
    expect(await verifier.reachable()).to.equal(true);
    expect((await verifier.verify(token)).userId).to.equal('alice');
  });

  it('answers 503 AUTH_UNAVAILABLE, not 401, when it does not trust the key set server', async () => {
    const verifier = verifierTrusting();
    expect(await verifier.reachable()).to.equal(false);
    const refusal = await verifier.verify(token).then(
      () => expect.fail('verified against an untrusted key set server'),
      (error: unknown) => error as ApiError,
    );
    expect([refusal.status, refusal.code]).to.deep.equal([503, 'AUTH_UNAVAILABLE']);
    expect(refusal.extras['dependency']).to.equal('keycloak');
  });
});
