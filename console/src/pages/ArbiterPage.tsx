// The arbiter's dispute queue: every DISPUTED escrow with the dispute's reason and evidence hashes,
// the parties' settlement offers and the escrow's deadlines; resolving asks for the buyer's refund,
// confirms it in a modal dialog, submits it with the arbiter's own token, and shows the payouts the
// ledger computed.
import { useEffect, useState } from 'preact/hooks';
import type { Escrow, GatewayApi } from '../api/gatewayApi';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ProblemMessage } from '../components/ProblemMessage';
import { formatMinorUnits, parseMajorUnits } from '../format/money';

interface DisputeView {
  readonly raisedAt: string;
  readonly reason: string;
  readonly evidenceHashes: readonly string[];
}

interface OfferView {
  readonly offeredBy: string;
  readonly buyerRefund: string;
  readonly expiresAt: string;
  readonly status: string;
}

function disputeOf(escrow: Escrow): DisputeView | null {
  return ((escrow as Record<string, unknown>)['dispute'] as DisputeView | null | undefined) ?? null;
}

function offersOf(escrow: Escrow): readonly OfferView[] {
  return (escrow.offers as readonly OfferView[] | undefined) ?? [];
}

function Resolution({
  api,
  escrow,
  onResolved,
}: {
  api: GatewayApi;
  escrow: Escrow;
  onResolved: () => void;
}) {
  const [refundText, setRefundText] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [result, setResult] = useState<Escrow | null>(null);
  const [error, setError] = useState<unknown>();
  const money = (amount: string) => formatMinorUnits(amount, escrow.currency);
  const ask = (event: Event) => {
    event.preventDefault();
    const refund = parseMajorUnits(refundText, escrow.currency);
    if (refund === undefined || BigInt(refund) > BigInt(escrow.amount)) {
      setError(new Error(`the refund must be an amount between 0 and ${money(escrow.amount)}`));
      return;
    }
    setError(undefined);
    setConfirming(refund);
  };
  const resolve = async (refund: string) => {
    try {
      const answer = await api.resolve(escrow.escrowId, refund);
      // 202: submitted but not yet committed within the gateway's deadline; its status URL tells.
      if (!('escrow' in answer))
        throw new Error(
          `the resolution is pending (transaction ${answer.transactionId}); reload the queue later`,
        );
      setResult(answer.escrow);
      setConfirming(null);
      onResolved();
    } catch (caught) {
      // The dialog closes so the refusal shows on the page, not behind the modal.
      setConfirming(null);
      setError(caught);
    }
  };
  if (result !== null)
    return (
      <div role="status" class="payouts">
        <h4>Resolved: the ledger's payouts</h4>
        <dl>
          <dt>buyer refund</dt>
          <dd>{money(result.buyerRefund)}</dd>
          <dt>seller payout</dt>
          <dd>{money(result.sellerPayout)}</dd>
          <dt>fee</dt>
          <dd>{money(result.fee)}</dd>
          <dt>funded</dt>
          <dd>{money(result.fundedAmount)}</dd>
        </dl>
      </div>
    );
  return (
    <>
      <form onSubmit={ask} class="resolve">
        <label>
          Buyer's refund of the goods amount ({escrow.currency})
          <input
            inputMode="decimal"
            value={refundText}
            onInput={(event) => {
              setRefundText(event.currentTarget.value);
            }}
          />
        </label>
        <button type="submit">Resolve…</button>
      </form>
      <ConfirmDialog
        open={confirming !== null}
        title={`Resolve ${escrow.escrowId}?`}
        confirm="Confirm resolution"
        onConfirm={() => {
          if (confirming !== null) void resolve(confirming);
        }}
        onCancel={() => {
          setConfirming(null);
        }}
      >
        The buyer gets {money(confirming ?? '0')} of the goods amount {money(escrow.amount)} back and the
        seller is paid the rest less the fee, as the chaincode splits it (funded: {money(escrow.fundedAmount)}
        ). This cannot be undone.
      </ConfirmDialog>
      <ProblemMessage error={error} />
    </>
  );
}

export function ArbiterPage({ api }: { api: GatewayApi }) {
  const [queue, setQueue] = useState<Escrow[] | null>(null);
  const [error, setError] = useState<unknown>();
  const load = async () => {
    try {
      setQueue(await api.search({ state: 'DISPUTED' }));
    } catch (caught) {
      setError(caught);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  return (
    <>
      <h1>Dispute queue</h1>
      <ProblemMessage error={error} />
      {queue === null ? (
        <p aria-live="polite">Loading disputes…</p>
      ) : queue.length === 0 ? (
        <p>No escrow is disputed.</p>
      ) : (
        <ul class="queue">
          {queue.map((escrow) => {
            const dispute = disputeOf(escrow);
            return (
              <li key={escrow.escrowId}>
                <article aria-labelledby={`dispute-${escrow.escrowId}`}>
                  <h2 id={`dispute-${escrow.escrowId}`}>{escrow.escrowId}</h2>
                  <dl>
                    <dt>amount</dt>
                    <dd>{formatMinorUnits(escrow.amount, escrow.currency)}</dd>
                    <dt>disputed at</dt>
                    <dd>{dispute?.raisedAt ?? '?'}</dd>
                    <dt>reason</dt>
                    <dd>{dispute?.reason ?? '?'}</dd>
                    <dt>deadlines</dt>
                    <dd>
                      ship by {escrow.shipBy}
                      {escrow.deliverBy === undefined || escrow.deliverBy === null
                        ? ''
                        : `, deliver by ${escrow.deliverBy}`}
                    </dd>
                  </dl>
                  <h3>Evidence (SHA-256 of each document)</h3>
                  <ul>
                    {(dispute?.evidenceHashes ?? []).map((hash) => (
                      <li key={hash}>
                        <code>{hash}</code>
                      </li>
                    ))}
                  </ul>
                  <h3>Offers</h3>
                  {offersOf(escrow).length === 0 ? (
                    <p>No settlement offer.</p>
                  ) : (
                    <ul>
                      {offersOf(escrow).map((offer) => (
                        <li key={`${offer.offeredBy}-${offer.expiresAt}`}>
                          {offer.offeredBy} offers the buyer{' '}
                          {formatMinorUnits(offer.buyerRefund, escrow.currency)} back, {offer.status} (expires{' '}
                          {offer.expiresAt})
                        </li>
                      ))}
                    </ul>
                  )}
                  <Resolution api={api} escrow={escrow} onResolved={() => undefined} />
                </article>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
