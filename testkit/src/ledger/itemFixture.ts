// An item's lifecycle as the chaincode records it, for unit tests that read records without a ledger
// (the settlement worker's plan, the gateway's payout view).
import type { ItemLifecycle, ItemState } from '@p2p-escrow/chaincode';

/** One item's lifecycle in `state`, split as given once ended (all "0" while open), settled as given. */
export function itemFixture(
  state: ItemState,
  split: { buyerRefund: string; sellerPayout: string; fee: string } = {
    buyerRefund: '0',
    sellerPayout: '0',
    fee: '0',
  },
  settlements: ItemLifecycle['settlements'] = { buyer: null, seller: null },
): ItemLifecycle {
  return {
    state,
    buyerFee: '0',
    shipment: null,
    deliverBy: null,
    delivery: null,
    dispute: null,
    rejection: null,
    returnAddress: null,
    returnShipment: null,
    offers: [],
    ...split,
    closure: null,
    settlements,
  };
}
