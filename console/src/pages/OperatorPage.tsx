// The peer operator's page: this org's gateway's readiness (GET /readyz, public): each dependency it
// checks (Keycloak's keys, its Fabric peer, PostgreSQL, Redis, the mirror keeping up) with the
// gateway's word on it. Channel heights per peer, the chaincode definition and the mirror's lag in
// blocks need read-only routes the gateway does not have yet.
import { useEffect, useState } from 'preact/hooks';
import { ProblemMessage } from '../components/ProblemMessage';

interface Readiness {
  readonly status: string;
  readonly checks: Record<string, string>;
  readonly missing: readonly string[];
}

export function OperatorPage() {
  const [readiness, setReadiness] = useState<Readiness | null>(null);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    void (async () => {
      try {
        // 503 still carries the report: which dependency is missing is the point.
        setReadiness((await (await fetch('/readyz')).json()) as Readiness);
      } catch (caught) {
        setError(caught);
      }
    })();
  }, []);
  return (
    <>
      <h1>Consortium health</h1>
      <ProblemMessage error={error} />
      {readiness === null ? (
        <p aria-live="polite">Asking the gateway…</p>
      ) : (
        <table>
          <caption>
            This gateway is <strong>{readiness.status}</strong>
          </caption>
          <thead>
            <tr>
              <th scope="col">dependency</th>
              <th scope="col">state</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(readiness.checks).map(([name, detail]) => (
              <tr key={name} data-testid="readiness-row">
                <td>{name}</td>
                <td>{readiness.missing.includes(name) ? `missing: ${detail}` : detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
