// The marketplace operator's page: its escrows (the gateway shows a marketplace the trades it is
// party to), its webhook subscriptions, and the events whose delivery failed, each redeliverable to
// a subscription; a chart of the failures by event type.
import { useEffect, useState } from 'preact/hooks';
import type { Escrow, GatewayApi } from '../api/gatewayApi';
import { ChartWithTable } from '../components/ChartWithTable';
import { ProblemMessage } from '../components/ProblemMessage';
import { formatMinorUnits } from '../format/money';

type Webhooks = Awaited<ReturnType<GatewayApi['webhooks']>>;
type Failed = Awaited<ReturnType<GatewayApi['failedDeliveries']>>;

function failuresByType(failed: Failed): { label: string; value: number }[] {
  const counts = new Map<string, number>();
  for (const event of failed) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
  return [...counts].map(([label, value]) => ({ label, value }));
}

export function MarketplacePage({ api }: { api: GatewayApi }) {
  const [escrows, setEscrows] = useState<Escrow[] | null>(null);
  const [webhooks, setWebhooks] = useState<Webhooks | null>(null);
  const [failed, setFailed] = useState<Failed | null>(null);
  const [queued, setQueued] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    void (async () => {
      try {
        const [found, subscriptions, failures] = await Promise.all([
          api.search({}),
          api.webhooks(),
          api.failedDeliveries(),
        ]);
        setEscrows(found);
        setWebhooks(subscriptions);
        setFailed(failures);
      } catch (caught) {
        setError(caught);
      }
    })();
  }, []);
  const redeliver = async (webhookId: string, eventId: string) => {
    try {
      const result = await api.redeliver(webhookId, eventId);
      setQueued(`${String(result.queued)} delivery of ${eventId} queued for subscription ${webhookId}`);
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <>
      <h1>Marketplace</h1>
      <ProblemMessage error={error} />
      {queued !== null && <p role="status">{queued}</p>}
      <h2>Webhook subscriptions</h2>
      {webhooks === null ? (
        <p aria-live="polite">Loading…</p>
      ) : (
        <table>
          <caption>{webhooks.length} subscriptions</caption>
          <thead>
            <tr>
              <th scope="col">id</th>
              <th scope="col">url</th>
              <th scope="col">events</th>
              <th scope="col">created</th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => (
              <tr key={webhook.id} data-testid="webhook-row">
                <td>{webhook.id}</td>
                <td>{webhook.url}</td>
                <td>{webhook.eventTypes.join(', ')}</td>
                <td>{webhook.createdAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Failed deliveries</h2>
      {failed !== null && failed.length > 0 && (
        <ChartWithTable
          title="Failed deliveries by event type"
          points={failuresByType(failed)}
          columns={['event type', 'failed']}
        />
      )}
      {failed === null ? (
        <p aria-live="polite">Loading…</p>
      ) : failed.length === 0 ? (
        <p>No delivery failed.</p>
      ) : (
        <table>
          <caption>Events whose delivery failed (newest 50)</caption>
          <thead>
            <tr>
              <th scope="col">event</th>
              <th scope="col">type</th>
              <th scope="col">escrow</th>
              <th scope="col">redeliver</th>
            </tr>
          </thead>
          <tbody>
            {failed.map((event) => (
              <tr key={event.eventId}>
                <td>
                  <code>{event.eventId.slice(0, 16)}…</code>
                </td>
                <td>{event.type}</td>
                <td>{event.escrowId}</td>
                <td>
                  {(webhooks ?? []).map((webhook) => (
                    <button
                      type="button"
                      key={webhook.id}
                      onClick={() => void redeliver(webhook.id, event.eventId)}
                    >
                      to {webhook.id}
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Escrows</h2>
      {escrows !== null && (
        <table>
          <caption>{escrows.length} escrows of this marketplace (newest first)</caption>
          <thead>
            <tr>
              <th scope="col">escrow</th>
              <th scope="col">state</th>
              <th scope="col">amount</th>
            </tr>
          </thead>
          <tbody>
            {escrows.map((escrow) => (
              <tr key={escrow.escrowId}>
                <td>{escrow.escrowId}</td>
                <td>{escrow.state}</td>
                <td>{formatMinorUnits(escrow.amount, escrow.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
