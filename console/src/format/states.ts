// The escrow states as the gateway's API names them, in the order of a trade's life.
import type { EscrowState } from '../api/gatewayApi';

export const ESCROW_STATES: readonly EscrowState[] = [
  'PROPOSED',
  'CREATED',
  'FUNDED',
  'SHIPPED',
  'DELIVERED',
  'RELEASED',
  'DISPUTED',
  'RESOLVED',
  'CANCELLED',
  'REFUNDED',
];
