// Proves the realms imported into the running Keycloak, one per org: the tokens a marketplace backend
// and a user get from their own org's realm are signed by a key of that realm's JWKS and carry what the gateway checks (issuer, audience, realm
// roles, marketplace, the methods of the login), and arbiters and auditors cannot log in without a
// TOTP code, each code good for one login.
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import { realmUrlOf } from '@p2p-escrow/scripts';
import {
  clientCredentialsToken,
  demoUser,
  issuingOrgOf,
  jwksUrlOf,
  localFetch,
  oneTimeCodes,
  passwordToken,
  TokenRequestError,
} from '@p2p-escrow/testkit';

interface Claims {
  iss?: unknown;
  aud?: unknown;
  exp?: unknown;
  azp?: unknown;
  marketplace?: unknown;
  preferred_username?: unknown;
  realm_access?: { roles?: unknown };
  amr?: unknown;
}

function decodePart(part: string | undefined): unknown {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
}

/** Checks the token's RS256 signature against the realm's published keys and returns its claims. */
async function verifiedClaims(token: string): Promise<Claims> {
  const [header, payload, signature] = token.split('.');
  const { alg, kid } = decodePart(header) as { alg?: string; kid?: string };
  const org = issuingOrgOf(token);
  expect(org, "the token comes from one of the orgs' realms").to.be.a('string');
  const { keys } = (await (await localFetch(jwksUrlOf(org!))).json()) as {
    keys: (crypto.JsonWebKey & { kid?: string })[];
  };
  const jwk = keys.find((candidate) => candidate.kid === kid);
  expect(alg).to.equal('RS256');
  expect(jwk, `a JWKS key with kid ${String(kid)}`).to.not.equal(undefined);
  const key = crypto.createPublicKey({ key: jwk!, format: 'jwk' });
  const signed = Buffer.from(`${header ?? ''}.${payload ?? ''}`);
  expect(crypto.verify('sha256', signed, key, Buffer.from(signature ?? '', 'base64url'))).to.equal(true);
  return decodePart(payload) as Claims;
}

function audiences(claims: Claims): unknown[] {
  return Array.isArray(claims.aud) ? (claims.aud as unknown[]) : [claims.aud];
}

function expectGatewayToken(claims: Claims, org: string): void {
  expect(claims.iss).to.equal(realmUrlOf(org));
  expect(audiences(claims)).to.include('escrow-gateway');
  expect(Number(claims.exp) * 1000).to.be.greaterThan(Date.now());
}

async function refusal(request: Promise<string>): Promise<TokenRequestError> {
  try {
    await request;
  } catch (error) {
    if (error instanceof TokenRequestError) return error;
    throw error;
  }
  throw new Error('the token endpoint issued a token');
}

describe("Keycloak: each org's realm", function () {
  this.timeout(30_000);

  it('issues a marketplace backend a client-credentials token for the gateway with its roles and marketplace', async () => {
    const claims = await verifiedClaims(await clientCredentialsToken('marketa-backend'));

    expectGatewayToken(claims, 'MarketA');
    expect(claims.azp).to.equal('marketa-backend');
    expect(claims.realm_access?.roles).to.include.members(['marketplace', 'payments']);
    expect(claims.marketplace).to.equal('MarketA');
  });

  it('refuses a backend client with a wrong secret', async () => {
    const error = await refusal(clientCredentialsToken('marketb-backend', 'not-the-secret'));

    expect(error.status).to.equal(401);
  });

  it("issues a buyer a password-grant token carrying the buyer role and the marketplace from the user's profile", async () => {
    const alice = demoUser('alice');
    const claims = await verifiedClaims(await passwordToken(alice.username, alice.password));

    expectGatewayToken(claims, 'MarketA');
    expect(claims.preferred_username).to.equal('alice');
    expect(claims.realm_access?.roles).to.include('buyer');
    expect(claims.realm_access?.roles).to.not.include('arbiter');
    expect(claims.marketplace).to.equal('MarketA');
  });

  for (const [username, role] of [
    ['olivia', 'arbiter'],
    ['oscar', 'auditor'],
  ] as const) {
    it(`refuses the ${role} ${username} a password alone and accepts password plus TOTP`, async () => {
      const user = demoUser(username);
      expect(user.totpSecret, `${username} has a TOTP secret in the realm file`).to.not.equal(undefined);

      const withoutCode = await refusal(passwordToken(user.username, user.password));
      expect(withoutCode.status).to.equal(400);
      expect(withoutCode.error).to.equal('invalid_grant');
      // Brute-force protection refuses a login within a second of a failed one (quickLoginCheckMilliSeconds).
      await new Promise((resolve) => setTimeout(resolve, 1100));

      const claims = await verifiedClaims(
        await passwordToken(
          user.username,
          user.password,
          await oneTimeCodes.next(username, user.totpSecret!),
        ),
      );
      expectGatewayToken(claims, 'Oversight');
      expect(claims.realm_access?.roles).to.include(role);
      expect(claims.marketplace).to.equal('Oversight');
      expect(claims.amr, 'the token names the password and the one-time code').to.have.members([
        'pwd',
        'otp',
      ]);
    });
  }

  it("knows each user in their own org's realm only: alice is no user of MarketB's or Oversight's", async () => {
    const alice = demoUser('alice');
    for (const org of ['MarketB', 'Oversight']) {
      const error = await refusal(passwordToken(alice.username, alice.password, undefined, org));
      expect([error.status, error.error]).to.deep.equal([400, 'invalid_grant']);
    }
  });

  it('accepts a one-time code once: a second login with the same code within its step is refused', async function () {
    this.timeout(60_000);
    const oscar = demoUser('oscar');
    const code = await oneTimeCodes.next('oscar', oscar.totpSecret!);
    await passwordToken(oscar.username, oscar.password, code);

    const replayed = await refusal(passwordToken(oscar.username, oscar.password, code));
    expect([replayed.status, replayed.error]).to.deep.equal([400, 'invalid_grant']);
  });

  it('does not lock an arbiter out for a minute after two quick wrong passwords', async function () {
    this.timeout(60_000);
    const olivia = demoUser('olivia');
    // A code not used yet, taken first: a login the pause refuses does not use it up.
    const code = await oneTimeCodes.next('olivia', olivia.totpSecret!);
    for (let attempt = 0; attempt < 2; attempt++) {
      const wrong = await refusal(passwordToken(olivia.username, `${olivia.password}-wrong`, code));
      expect(wrong.error).to.equal('invalid_grant');
    }
    // Two failures within a second are a quick-login attack: a short pause, not a lockout.
    const startedAt = Date.now();
    let token: string | undefined;
    for (let attempt = 0; token === undefined && Date.now() - startedAt < 15_000 && attempt < 15; attempt++) {
      token = await passwordToken(olivia.username, olivia.password, code).catch(() => undefined);
      if (token === undefined) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(token, 'olivia could sign in again within 15 s').to.be.a('string');
  });
});
