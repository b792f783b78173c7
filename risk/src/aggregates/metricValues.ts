// Reads the metrics one event's rules ask for from the aggregates, in ledger time ending at the
// event: a windowed metric looks back its window, another over all history.
import type { MetricValues } from '../engine/decide';
import { partyKey, type RiskEvent } from '../engine/riskEvent';
import { METRICS, metricKey, type MetricRequest, type Subject } from '../rules/metrics';
import { windowMs } from '../rules/window';
import type { FactQuery, FactView } from './factView';

function keyOf(subject: Subject, event: RiskEvent): string {
  switch (subject) {
    case 'buyer':
      return partyKey(event.buyer);
    case 'seller':
      return partyKey(event.seller);
    case 'buyerMarketplace':
      return event.buyer.marketplace;
  }
}

export async function metricValue(
  request: MetricRequest,
  event: RiskEvent,
  view: FactView,
): Promise<number | undefined> {
  const definition = METRICS[request.metric];
  const length = request.window === undefined ? undefined : windowMs(request.window);
  const query: FactQuery = {
    kind: definition.kind,
    subject: definition.subject,
    key: keyOf(definition.subject, event),
    since: length === undefined ? undefined : event.at - length,
    until: event.at,
  };
  switch (definition.reduction) {
    case 'count':
      return view.count(query);
    case 'priorCount':
      return view.count({ ...query, excludeEscrowId: event.escrowId });
    case 'amountToMedian': {
      const median = await view.median({ ...query, excludeEscrowId: event.escrowId });
      return median === undefined || median <= 0 ? undefined : event.amount / median;
    }
    case 'lossRatio': {
      const resolved = await view.count(query);
      if (resolved === 0) return undefined;
      return (await view.count({ ...query, lostOnly: true })) / resolved;
    }
  }
}

export async function metricValues(
  requests: readonly MetricRequest[],
  event: RiskEvent,
  view: FactView,
): Promise<MetricValues> {
  const values = new Map<string, number | undefined>();
  for (const request of requests) values.set(metricKey(request), await metricValue(request, event, view));
  return values;
}
