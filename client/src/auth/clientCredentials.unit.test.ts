import { expect } from 'chai';
import { ClientError } from '../errors/clientError';
import { ClientCredentialsTokens } from './clientCredentials';

/** A token endpoint in-process: answers each request with the next token and records the forms. */
function tokenEndpoint(expiresIn = 300, status = 200) {
  const forms: URLSearchParams[] = [];
  const fetchFn = (async (_url: Parameters<typeof fetch>[0], init?: RequestInit) => {
    forms.push(new URLSearchParams(init?.body as string));
    await Promise.resolve();
    const body =
      status === 200
        ? { access_token: `token-${forms.length}`, expires_in: expiresIn, token_type: 'Bearer' }
        : { error: 'unauthorized_client' };
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { forms, fetchFn };
}

describe('client credentials tokens', () => {
  const options = { tokenUrl: 'https://idp.test/token', clientId: 'marketa-backend', clientSecret: 's3cret' };

  it('asks the token endpoint with the client credentials grant', async () => {
    const endpoint = tokenEndpoint();
    const tokens = new ClientCredentialsTokens({ ...options, fetch: endpoint.fetchFn });
    expect(await tokens.token()).to.equal('token-1');
    expect(Object.fromEntries(endpoint.forms[0]!)).to.deep.equal({
      grant_type: 'client_credentials',
      client_id: 'marketa-backend',
      client_secret: 's3cret',
    });
  });

  it('reuses a token until the refresh margin before its expiry, then fetches a new one', async () => {
    const endpoint = tokenEndpoint(300);
    let now = 1_000_000;
    const tokens = new ClientCredentialsTokens({
      ...options,
      fetch: endpoint.fetchFn,
      refreshMarginSeconds: 30,
      now: () => now,
    });
    expect(await tokens.token()).to.equal('token-1');
    now += 269_000;
    expect(await tokens.token()).to.equal('token-1');
    now += 1_000;
    expect(await tokens.token()).to.equal('token-2');
    expect(endpoint.forms).to.have.length(2);
  });

  it('shares one request among concurrent callers', async () => {
    const endpoint = tokenEndpoint();
    const tokens = new ClientCredentialsTokens({ ...options, fetch: endpoint.fetchFn });
    const all = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    expect(all).to.deep.equal(['token-1', 'token-1', 'token-1']);
    expect(endpoint.forms).to.have.length(1);
  });

  it('reuses a token shorter-lived than twice the margin for half its life', async () => {
    const endpoint = tokenEndpoint(20);
    let now = 0;
    const tokens = new ClientCredentialsTokens({ ...options, fetch: endpoint.fetchFn, now: () => now });
    await tokens.token();
    now = 9_999;
    expect(await tokens.token()).to.equal('token-1');
    now = 10_000;
    expect(await tokens.token()).to.equal('token-2');
  });

  it('fetches again after invalidate()', async () => {
    const endpoint = tokenEndpoint();
    const tokens = new ClientCredentialsTokens({ ...options, fetch: endpoint.fetchFn });
    await tokens.token();
    tokens.invalidate();
    expect(await tokens.token()).to.equal('token-2');
  });

  it('refuses with TOKEN_REQUEST_FAILED when the endpoint refuses', async () => {
    const tokens = new ClientCredentialsTokens({ ...options, fetch: tokenEndpoint(300, 401).fetchFn });
    const error = await tokens.token().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(ClientError);
    expect((error as ClientError).code).to.equal('TOKEN_REQUEST_FAILED');
    expect((error as ClientError).message).to.include('401 unauthorized_client');
  });
});
