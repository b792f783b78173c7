// The auditor's page: search every escrow (Oversight's projection holds them all), see the volume
// by state, and open an escrow's timeline: each transition with its block, transaction, endorsing
// orgs and what its audit proof says of it. The proof verifier and Fabric's protobuf messages are
// loaded (their own chunk) when a timeline is first opened.
import { useEffect, useState } from 'preact/hooks';
import type { EscrowState, GatewayApi } from '../api/gatewayApi';
import { countByState, timelineOf, type TimelineRow } from '../audit/timeline';
import { ChartWithTable } from '../components/ChartWithTable';
import { ProblemMessage } from '../components/ProblemMessage';
import { formatMinorUnits } from '../format/money';
import { ESCROW_STATES } from '../format/states';

type Found = Awaited<ReturnType<GatewayApi['search']>>;

const MARK_TEXT: Record<TimelineRow['mark'], string> = {
  'in-proof-valid': 'in proof, valid',
  'in-proof-invalid': 'in proof, INVALID',
  'not-in-proof': 'missing from proof',
};

function Timeline({ api, escrowId }: { api: GatewayApi; escrowId: string }) {
  const [rows, setRows] = useState<(TimelineRow & { verified: string })[] | null>(null);
  const [error, setError] = useState<unknown>();
  const load = async () => {
    setError(undefined);
    try {
      // Without trust anchors the timeline still shows, each row saying why it is not verified.
      const [history, proof, anchors, { markOf, verdictOf }, { endorsingOrgsByTransaction }] =
        await Promise.all([
          api.history(escrowId),
          api.proof(escrowId),
          api.trustAnchors().catch((failure: unknown) => failure as Error),
          import('../audit/proofMarks'),
          import('../audit/endorsingOrgs'),
        ]);
      const bundle = proof as unknown as {
        transitions: { txId: string; blockNumber: string; validationCode: number }[];
        blocks: { number: string; envelopes: string[] }[];
      };
      const timeline = timelineOf(
        history.entries,
        bundle.transitions,
        endorsingOrgsByTransaction(bundle.blocks),
      );
      // The rows show at once, marked "verifying…"; the check of every signature takes a moment, so
      // the page renders before it starts rather than after it ends.
      setRows(timeline.map((row) => ({ ...row, verified: markOf(null, row.txId) })));
      await new Promise((rendered) => setTimeout(rendered, 0));
      const verdict =
        anchors instanceof Error
          ? { verified: false as const, reason: `no trust anchors: ${anchors.message}` }
          : verdictOf(proof, anchors);
      setRows(timeline.map((row) => ({ ...row, verified: markOf(verdict, row.txId) })));
    } catch (caught) {
      setError(caught);
    }
  };
  useEffect(() => {
    void load();
  }, [escrowId]);
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline of {escrowId}</h2>
      <ProblemMessage error={error} />
      {rows === null ? (
        <p aria-live="polite">Loading the history and its audit proof…</p>
      ) : (
        <table class="timeline">
          <caption>
            Every transition, oldest first. “Proof” is the audit proof's account of the transaction (its block
            and the peer's validation code); “verified” is this page's own check of the whole proof, run in
            your browser: the creator's, endorsers' and orderers' signatures against the channel members' CA
            certificates, the endorsement policy each transition had to meet, and the chain of block hashes up
            to the latest block.
          </caption>
          <thead>
            <tr>
              <th scope="col">state</th>
              <th scope="col">block</th>
              <th scope="col">transaction</th>
              <th scope="col">endorsing orgs</th>
              <th scope="col">time</th>
              <th scope="col">proof</th>
              <th scope="col">verified</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.txId} data-testid="timeline-row">
                <td>{row.state}</td>
                <td>{row.blockNumber}</td>
                <td>
                  <code title={row.txId}>{row.txId.slice(0, 16)}…</code>
                </td>
                <td>{row.endorsingOrgs.join(', ')}</td>
                <td>{row.timestamp}</td>
                <td class={`mark-${row.mark}`}>{MARK_TEXT[row.mark]}</td>
                <td
                  data-testid="verified-mark"
                  class={row.verified === 'verified' ? 'mark-in-proof-valid' : 'mark-not-in-proof'}
                >
                  {row.verified}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function AuditorPage({ api }: { api: GatewayApi }) {
  const [state, setState] = useState<EscrowState | ''>('');
  const [text, setText] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const search = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setOpened(null);
    try {
      setFound(await api.search({ ...(state === '' ? {} : { state }), ...(text === '' ? {} : { q: text }) }));
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <>
      <h1>Audit</h1>
      <form onSubmit={(event) => void search(event)} class="search">
        <label>
          State
          <select
            value={state}
            onChange={(event) => {
              setState(event.currentTarget.value as EscrowState | '');
            }}
          >
            <option value="">any</option>
            {ESCROW_STATES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Item text
          <input
            value={text}
            onInput={(event) => {
              setText(event.currentTarget.value);
            }}
          />
        </label>
        <button type="submit">Search escrows</button>
      </form>
      <ProblemMessage error={error} />
      {found !== null && (
        <>
          <ChartWithTable
            title="Escrows found, by state"
            columns={['state', 'escrows']}
            points={countByState(found, ESCROW_STATES).map(({ state: label, count }) => ({
              label,
              value: count,
            }))}
          />
          <table>
            <caption>{found.length} escrows (newest first)</caption>
            <thead>
              <tr>
                <th scope="col">escrow</th>
                <th scope="col">state</th>
                <th scope="col">buyer</th>
                <th scope="col">seller</th>
                <th scope="col">amount</th>
              </tr>
            </thead>
            <tbody>
              {found.map((escrow) => (
                <tr key={escrow.escrowId}>
                  <td>
                    <button
                      type="button"
                      class="link"
                      onClick={() => {
                        setOpened(escrow.escrowId);
                      }}
                    >
                      {escrow.escrowId}
                    </button>
                  </td>
                  <td>{escrow.state}</td>
                  <td>{partyText(escrow.buyer)}</td>
                  <td>{partyText(escrow.seller)}</td>
                  <td>{formatMinorUnits(escrow.amount, escrow.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {opened !== null && <Timeline key={opened} api={api} escrowId={opened} />}
    </>
  );
}

function partyText(party: Record<string, unknown>): string {
  const text = (value: unknown) => (typeof value === 'string' ? value : '?');
  return `${text(party['userId'])} (${text(party['marketplace'])})`;
}
