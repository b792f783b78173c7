// The console's shell: signs the user in through the gateway's realm (PKCE), then offers the pages of
// the roles their token holds. Which records each page shows is the gateway's decision, per call.
import { useEffect, useState } from 'preact/hooks';
import { gatewayApi } from './api/gatewayApi';
import {
  completeLogin,
  loadConfig,
  logout,
  startLogin,
  storedTokens,
  type ConsoleConfig,
  type Tokens,
} from './auth/oidcSession';
import { consoleRolesOf, signedInUserOf, type ConsoleRole } from './auth/tokenClaims';
import { ProblemMessage } from './components/ProblemMessage';
import { ArbiterPage } from './pages/ArbiterPage';
import { AuditorPage } from './pages/AuditorPage';
import { MarketplacePage } from './pages/MarketplacePage';
import { OperatorPage } from './pages/OperatorPage';

const PAGE_TITLE: Record<ConsoleRole, string> = {
  auditor: 'Audit',
  arbiter: 'Disputes',
  marketplace: 'Marketplace',
  operator: 'Consortium health',
};

function Pages({ config, tokens }: { config: ConsoleConfig; tokens: Tokens }) {
  const user = signedInUserOf(tokens.accessToken);
  const roles = consoleRolesOf(user);
  const [page, setPage] = useState<ConsoleRole | undefined>(roles[0]);
  const api = gatewayApi(tokens.accessToken);
  return (
    <>
      <header>
        <p class="brand">p2p-escrow console · {config.organization}</p>
        <nav aria-label="pages">
          {roles.map((role) => (
            <button
              type="button"
              key={role}
              aria-current={role === page ? 'page' : undefined}
              onClick={() => {
                setPage(role);
              }}
            >
              {PAGE_TITLE[role]}
            </button>
          ))}
        </nav>
        <p>
          Signed in as <strong>{user.username}</strong>{' '}
          <button
            type="button"
            onClick={() => {
              logout(config, tokens);
            }}
          >
            Sign out
          </button>
        </p>
      </header>
      <main>
        {page === 'auditor' && <AuditorPage api={api} />}
        {page === 'arbiter' && <ArbiterPage api={api} />}
        {page === undefined && (
          <>
            <h1>Nothing to show</h1>
            <p>Your roles ({user.roles.join(', ') || 'none'}) open no page of this console.</p>
          </>
        )}
        {page === 'operator' && <OperatorPage api={api} readsLedger={user.roles.includes('auditor')} />}
        {page === 'marketplace' && <MarketplacePage api={api} />}
      </main>
    </>
  );
}

export function App() {
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [tokens, setTokens] = useState<Tokens | null>(null);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    void (async () => {
      try {
        const loaded = await loadConfig();
        setConfig(loaded);
        setTokens((await completeLogin(loaded)) ?? storedTokens());
      } catch (caught) {
        setError(caught);
      }
    })();
  }, []);
  if (error !== undefined)
    return (
      <main>
        <h1>p2p-escrow console</h1>
        <ProblemMessage error={error} />
      </main>
    );
  if (config === null)
    return (
      <main aria-busy="true">
        <h1>p2p-escrow console</h1>
      </main>
    );
  if (tokens === null)
    return (
      <main>
        <h1>p2p-escrow console</h1>
        <p>Auditors, arbiters and operators of {config.organization} sign in with their realm account.</p>
        <button type="button" onClick={() => void startLogin(config)}>
          Sign in
        </button>
      </main>
    );
  return <Pages config={config} tokens={tokens} />;
}
