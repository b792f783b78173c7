// The peer operator's page: this org's gateway's readiness (GET /readyz, public): each dependency it
// checks with the gateway's word on it; and, for a user who also holds a ledger identity (Oversight's
// auditors), the consortium as the ledger shows it (GET /v1/consortium/status): each org's peer's
// channel height, whether each orderer answers a TLS handshake, the committed chaincode definition and the mirror's lag, charted as blocks behind
// the highest peer and, per minute of the last half hour, as the gateway reads it from the projection.
import { useEffect, useState } from 'preact/hooks';
import type { ConsortiumStatus, GatewayApi } from '../api/gatewayApi';
import { ChartWithTable } from '../components/ChartWithTable';
import { ProblemMessage } from '../components/ProblemMessage';
import { blocksBehind } from '../operator/blocksBehind';
import { lagPoints } from '../operator/lagHistory';

/** How often the open page asks for the consortium's status again. */
const POLL_MS = 5_000;

const minuteOfDay = (start: Date) =>
  start.toLocaleTimeString('en-GB', { hour12: false, hour: '2-digit', minute: '2-digit' });

interface Readiness {
  readonly status: string;
  readonly checks: Record<string, string>;
  readonly missing: readonly string[];
}

function ReadinessTable() {
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

function LedgerView({ api }: { api: GatewayApi }) {
  const [status, setStatus] = useState<ConsortiumStatus | null>(null);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let open = true;
    const poll = async () => {
      try {
        const read = await api.consortiumStatus();
        if (!open) return;
        setStatus(read);
        setError(undefined);
      } catch (caught) {
        if (open) setError(caught);
      }
      if (open) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      open = false;
      clearTimeout(timer);
    };
  }, []);
  if (status === null)
    return error === undefined ? (
      <p aria-live="polite">Asking every org's peer…</p>
    ) : (
      <ProblemMessage error={error} />
    );
  const { chaincode, mirror, mirrorLagHistory } = status;
  return (
    <>
      <table>
        <caption>Channel height per peer (the latest block is one less)</caption>
        <thead>
          <tr>
            <th scope="col">org</th>
            <th scope="col">MSP</th>
            <th scope="col">height</th>
            <th scope="col">state</th>
          </tr>
        </thead>
        <tbody>
          {status.peers.map((peer) => (
            <tr key={peer.org} data-testid="peer-row">
              <td>{peer.org}</td>
              <td>{peer.mspId}</td>
              <td>{peer.height ?? '—'}</td>
              <td>{peer.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>
          Orderers (a TLS handshake at the address the channel's configuration gives the peers)
        </caption>
        <thead>
          <tr>
            <th scope="col">address</th>
            <th scope="col">MSP</th>
            <th scope="col">handshake</th>
            <th scope="col">state</th>
          </tr>
        </thead>
        <tbody>
          {status.orderers.map((orderer) => (
            <tr key={orderer.address} data-testid="orderer-row">
              <td>{orderer.address}</td>
              <td>{orderer.mspId}</td>
              <td>{orderer.handshakeMs === null ? '—' : `${String(orderer.handshakeMs)} ms`}</td>
              <td>{orderer.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Chaincode definition</h2>
      <dl class="definition" data-testid="chaincode-definition">
        <dt>name</dt>
        <dd>{chaincode.name}</dd>
        <dt>version</dt>
        <dd>{chaincode.version}</dd>
        <dt>sequence</dt>
        <dd>{chaincode.sequence}</dd>
        <dt>endorsement policy</dt>
        <dd>
          <code>{chaincode.endorsementPolicy}</code>
        </dd>
        <dt>approved by</dt>
        <dd>
          {Object.entries(chaincode.approvals)
            .filter(([, approved]) => approved)
            .map(([mspId]) => mspId)
            .join(', ') || 'nobody'}
        </dd>
      </dl>
      <h2>Mirror</h2>
      <p data-testid="mirror-lag">
        {mirror === null
          ? 'The mirror has not reported yet.'
          : `Checkpoint ${mirror.checkpoint ?? 'none'}, ${mirror.lagBlocks === null ? 'lag unknown' : `${String(mirror.lagBlocks)} blocks behind`}, last report ${String(Math.round(mirror.reportedMsAgo / 1000))} s ago.`}
      </p>
      <ProblemMessage error={error} />
      <ChartWithTable
        title="Blocks behind the highest peer"
        columns={['node', 'blocks behind']}
        points={blocksBehind(status)}
      />
      <ChartWithTable
        kind="line"
        title={`The mirror's lag per minute, last ${String(mirrorLagHistory.minutes)} minutes (p95 of transaction → row, ms)`}
        columns={['minute', 'p95 ms']}
        points={lagPoints(mirrorLagHistory.buckets, minuteOfDay)}
      />
      {mirrorLagHistory.buckets.length === 0 && (
        <p>Nothing was mirrored in the last {mirrorLagHistory.minutes} minutes.</p>
      )}
    </>
  );
}

export function OperatorPage({ api, readsLedger }: { api: GatewayApi; readsLedger: boolean }) {
  return (
    <>
      <h1>Consortium health</h1>
      <h2>This gateway</h2>
      <ReadinessTable />
      <h2>The ledger</h2>
      {readsLedger ? (
        <LedgerView api={api} />
      ) : (
        <p>
          Peers' heights, the chaincode definition and the mirror's lag are read from the ledger with an
          auditor's identity; sign in as an auditor of this org to see them.
        </p>
      )}
    </>
  );
}
