// The console's shell: signs the user in through the gateway's realm (PKCE), then offers the pages of
// the roles their token holds. Which records each page shows is the gateway's decision, per call.
// Each page is its own chunk, fetched when first shown, so the first load carries only this shell.
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
import { LazyPage } from './components/LazyPage';
import { ProblemMessage } from './components/ProblemMessage';

const auditorPage = async () => (await import('./pages/AuditorPage')).AuditorPage;
const arbiterPage = async () => (await import('./pages/ArbiterPage')).ArbiterPage;
const marketplacePage = async () => (await import('./pages/MarketplacePage')).MarketplacePage;
const operatorPage = async () => (await import('./pages/OperatorPage')).OperatorPage;

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
        {page === 'auditor' && <LazyPage load={auditorPage} props={{ api }} />}
        {page === 'arbiter' && <LazyPage load={arbiterPage} props={{ api }} />}
        {page === undefined && (
          <>
            <h1>Nothing to show</h1>
            <p>Your roles ({user.roles.join(', ') || 'none'}) open no page of this console.</p>
          </>
        )}
        {page === 'operator' && (
          <LazyPage load={operatorPage} props={{ api, readsLedger: user.roles.includes('auditor') }} />
        )}
        {page === 'marketplace' && <LazyPage load={marketplacePage} props={{ api }} />}
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
