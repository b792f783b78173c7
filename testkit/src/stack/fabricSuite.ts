// The setup every live chaincode suite shares: check the Fabric network before the suite (failing
// fast, naming what is down), and close the suite's gateways after it.
import { GatewayPool } from '../ledger/escrowLedger';
import { requireFabricNetwork } from './fabricReadiness';

/** Call inside a mocha `describe`: registers its before/after hooks and returns the suite's pool. */
export function fabricSuite(): GatewayPool {
  const pool = new GatewayPool();
  before(async () => {
    await requireFabricNetwork();
  });
  after(() => {
    pool.closeAll();
  });
  return pool;
}
