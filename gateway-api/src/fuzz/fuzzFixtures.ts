// What the fuzzing run acts on: escrows walked through the gateway into the state each operation
// needs (a fuzzer alone only ever finds 404 for an escrow id it made up), a webhook and an event of
// MarketA's, and a transaction id. Each escrow is walked by its real actors, all of MarketA: its
// backend proposes, amir (seller) accepts and ships, alice (buyer) confirms, disputes or releases,
// and MarketA's payments service funds it on the provider's signed event.
import { paymentSucceededDelivery } from '@p2p-escrow/payments';
import {
  as,
  createRequest,
  eventually,
  payThroughProvider,
  uniqueEscrowId,
  type ApiResponse,
  type Caller,
} from '@p2p-escrow/testkit';

/** The states an escrow is walked to. */
type Stage =
  | 'proposed'
  | 'created'
  | 'funded'
  | 'shipped'
  | 'delivered'
  | 'disputed'
  | 'offered'
  | 'released';

interface Step {
  readonly stage: Stage;
  readonly caller: Caller;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

// After `delivered` a walk either releases or disputes (and then may get an offer).
const WALK: Readonly<Record<Exclude<Stage, 'proposed' | 'funded'>, Step>> = {
  created: { stage: 'created', caller: 'amir', path: 'accept', body: {} },
  shipped: {
    stage: 'shipped',
    caller: 'amir',
    path: 'ship',
    body: { carrier: 'DHL', trackingRef: 'FUZZ-1' },
  },
  delivered: { stage: 'delivered', caller: 'alice', path: 'confirm-delivery', body: {} },
  disputed: {
    stage: 'disputed',
    caller: 'alice',
    path: 'dispute',
    body: { reason: 'not as described', evidenceHashes: ['e'.repeat(64)] },
  },
  offered: { stage: 'offered', caller: 'alice', path: 'offers', body: { buyerRefund: '1000' } },
  released: { stage: 'released', caller: 'alice', path: 'release', body: {} },
};

function stepsTo(target: Stage): Stage[] {
  const through = (stages: Stage[]) => stages.slice(0, stages.indexOf(target) + 1);
  if (target === 'released') return ['proposed', 'created', 'funded', 'shipped', 'delivered', 'released'];
  return through(['proposed', 'created', 'funded', 'shipped', 'delivered', 'disputed', 'offered']);
}

export interface EscrowTerms {
  /** Ship-by this far ahead of now; a short one lets the buyer claim a refund during the run. */
  readonly shipInMs?: number;
}

function terms(escrowId: string, options: EscrowTerms): Record<string, unknown> {
  const now = Date.now();
  const shipInMs = options.shipInMs ?? 7 * 86_400_000;
  return createRequest(escrowId, {
    seller: { marketplace: 'MarketA', userId: 'amir' },
    fundBy: new Date(now + Math.min(86_400_000, shipInMs - 1_000)).toISOString(),
    shipBy: new Date(now + shipInMs).toISOString(),
    privateDetails: {
      salt: '0123456789abcdef0123456789abcdef',
      shippingAddress: { street: '1 Rue de la Paix', city: 'Paris' },
      contact: 'alice@example.test',
    },
  });
}

/**
 * Sends a step until it succeeds. A step right after another may reach a peer that has not committed
 * the previous block yet (INVALID_STATE, nothing written), so that refusal is asked again.
 */
async function succeeded(what: string, send: () => Promise<ApiResponse>): Promise<ApiResponse> {
  return eventually(what, async () => {
    const response = await send();
    if (response.status >= 200 && response.status <= 299) return response;
    if (response.status === 409 && response.body['code'] === 'INVALID_STATE') return undefined;
    throw new Error(`fuzz fixture: ${what} answered ${String(response.status)} ${response.text}`);
  });
}

/** A fresh escrow of alice (buyer) and amir (seller) at MarketA, walked to `target`. */
export async function escrowAt(target: Stage, options: EscrowTerms = {}): Promise<string> {
  const escrowId = uniqueEscrowId(`fuzz-${target}`, 'e2e');
  const route = `/v1/escrows/${escrowId}`;
  for (const stage of stepsTo(target)) {
    if (stage === 'proposed')
      await succeeded(`create ${escrowId}`, () =>
        as('marketa-backend', 'POST', '/v1/escrows', terms(escrowId, options)),
      );
    else if (stage === 'funded') {
      // Asked again while a peer has not committed the acceptance yet (INVALID_STATE).
      const paid = await eventually(`payment of ${escrowId}`, () =>
        payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery).catch((error: unknown) => {
          if (String(error).includes('INVALID_STATE')) return undefined;
          throw error;
        }),
      );
      if (paid.delivery.status !== 200)
        throw new Error(`fuzz fixture: funding ${escrowId}: ${paid.delivery.text}`);
    } else {
      const step = WALK[stage];
      await succeeded(`${step.path} ${escrowId}`, () =>
        as(step.caller, 'POST', `${route}/${step.path}`, step.body),
      );
    }
  }
  return escrowId;
}
