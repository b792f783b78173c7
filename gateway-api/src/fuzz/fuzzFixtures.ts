// What the fuzzing run acts on: escrows walked through the gateway into the state each operation
// needs (a fuzzer alone only ever finds 404 for an escrow id it made up), escrows whose items each
// stand where one item-level operation starts, a webhook and an event of MarketA's, and a transaction
// id. Each escrow is walked by its real actors, all of MarketA: its backend proposes, amir (seller)
// accepts and ships, alice (buyer) confirms, disputes, rejects or releases, and MarketA's payments
// service funds it on the provider's signed event.
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

/** Pays for an accepted escrow through the provider; MarketA's payments service funds it. */
async function fund(escrowId: string): Promise<void> {
  // Asked again while a peer has not committed the acceptance yet (INVALID_STATE).
  const paid = await eventually(`payment of ${escrowId}`, () =>
    payThroughProvider(escrowId, 'marketa-backend', paymentSucceededDelivery).catch((error: unknown) => {
      if (String(error).includes('INVALID_STATE')) return undefined;
      throw error;
    }),
  );
  if (paid.delivery.status !== 200)
    throw new Error(`fuzz fixture: funding ${escrowId}: ${paid.delivery.text}`);
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
    else if (stage === 'funded') await fund(escrowId);
    else {
      const step = WALK[stage];
      await succeeded(`${step.path} ${escrowId}`, () =>
        as(step.caller, 'POST', `${route}/${step.path}`, step.body),
      );
    }
  }
  return escrowId;
}

/** Where one item of an escrow moving per item is walked to, each the start of an item-level operation. */
export type ItemStage =
  | 'funded'
  | 'shipped'
  | 'delivered'
  | 'disputed'
  | 'offered'
  | 'rejected'
  | 'addressed'
  | 'returnShipped';

type ItemStep = Omit<Step, 'stage'>;

const SHIP_ITEM: ItemStep = { caller: 'amir', path: 'ship', body: { carrier: 'DHL', trackingRef: 'FUZZ-I' } };
const DELIVER_ITEM: ItemStep = { caller: 'alice', path: 'confirm-delivery', body: {} };
const DISPUTE_ITEM: ItemStep = {
  caller: 'alice',
  path: 'dispute',
  body: { reason: 'not as described', evidenceHashes: [] },
};
const OFFER_ON_ITEM: ItemStep = { caller: 'alice', path: 'offers', body: { buyerRefund: '100' } };
const REJECT_ITEM: ItemStep = { caller: 'alice', path: 'reject', body: { reason: 'wrong size' } };
const RETURN_ADDRESS: ItemStep = {
  caller: 'amir',
  path: 'return-address',
  body: { address: '9 Fuzz Rd, Lyon' },
};
const SHIP_RETURN: ItemStep = {
  caller: 'alice',
  path: 'return-shipment',
  body: { carrier: 'UPS', trackingRef: 'FUZZ-R' },
};

const ITEM_WALKS: Readonly<Record<ItemStage, readonly ItemStep[]>> = {
  funded: [],
  shipped: [SHIP_ITEM],
  delivered: [SHIP_ITEM, DELIVER_ITEM],
  disputed: [SHIP_ITEM, DELIVER_ITEM, DISPUTE_ITEM],
  offered: [SHIP_ITEM, DELIVER_ITEM, DISPUTE_ITEM, OFFER_ON_ITEM],
  rejected: [SHIP_ITEM, DELIVER_ITEM, REJECT_ITEM],
  addressed: [SHIP_ITEM, DELIVER_ITEM, REJECT_ITEM, RETURN_ADDRESS],
  returnShipped: [SHIP_ITEM, DELIVER_ITEM, REJECT_ITEM, RETURN_ADDRESS, SHIP_RETURN],
};

/** The price of each item of an escrow moving per item: above every refund the run offers. */
const ITEM_PRICE = 1000n;

/**
 * A funded escrow of alice and amir with one item per stage, item `i` walked to `stages[i]` (its
 * steps in turn: every one writes the same escrow).
 */
export async function itemEscrowAt(stages: readonly ItemStage[]): Promise<string> {
  const escrowId = uniqueEscrowId('fuzz-items', 'e2e');
  const route = `/v1/escrows/${escrowId}`;
  const items = stages.map((_, index) => ({
    description: `Part ${String(index)}`,
    price: String(ITEM_PRICE),
  }));
  const amount = (ITEM_PRICE * BigInt(stages.length)).toString();
  await succeeded(`create ${escrowId}`, () =>
    as('marketa-backend', 'POST', '/v1/escrows', { ...terms(escrowId, {}), items, amount }),
  );
  await succeeded(`accept ${escrowId}`, () => as('amir', 'POST', `${route}/accept`, {}));
  await fund(escrowId);
  for (const [item, stage] of stages.entries())
    for (const step of ITEM_WALKS[stage])
      await succeeded(`${step.path} of item ${String(item)} of ${escrowId}`, () =>
        as(step.caller, 'POST', `${route}/items/${String(item)}/${step.path}`, step.body),
      );
  return escrowId;
}
