// Shared fixtures of the contract-class tests: the network's identities as callers of the in-memory
// ledger, and a valid createEscrow request relative to the wall clock.
import { EscrowContract } from '../escrow/escrowContract';
import { type Caller, FakeLedger } from './fakeLedger';
import { FOUNDING_MARKETPLACES } from './escrowFixtures';

export function caller(organization: string, role: string, userId: string): Caller {
  return { mspId: `${organization}MSP`, attributes: { role, userId, marketplace: organization } };
}

/** A marketplace's payments service identity: the only one whose certificate carries the funding key. */
export function paymentsService(organization: string, userId: string): Caller {
  const base = caller(organization, 'payments', userId);
  return { ...base, attributes: { ...base.attributes, fundingKey: 'true' } };
}

export const CALLERS = {
  marketA: caller('MarketA', 'marketplace', 'marketa-backend'),
  paymentsA: paymentsService('MarketA', 'marketa-payments'),
  paymentsB: paymentsService('MarketB', 'marketb-payments'),
  adminA: caller('MarketA', 'admin', 'marketa-admin'),
  alice: caller('MarketA', 'buyer', 'alice'),
  amir: caller('MarketA', 'seller', 'amir'),
  bea: caller('MarketB', 'seller', 'bea'),
  marketB: caller('MarketB', 'marketplace', 'marketb-backend'),
  adminB: caller('MarketB', 'admin', 'marketb-admin'),
  carrierA: caller('MarketA', 'carrier', 'marketa-carrier'),
  arbiter: caller('Oversight', 'arbiter', 'olivia'),
  auditor: caller('Oversight', 'auditor', 'oscar'),
  keeper: caller('Oversight', 'keeper', 'keeper'),
  oversightAdmin: caller('Oversight', 'admin', 'oversight-admin'),
  risk: caller('Oversight', 'risk', 'risk-service'),
};

const HOUR = 3600_000;

/** Alice (MarketA) buys a camera from Bea (MarketB), funded within an hour, shipped within two. */
export function requestJson(overrides: Record<string, unknown> = {}): string {
  const now = Date.now();
  return JSON.stringify({
    buyer: { marketplace: 'MarketA', userId: 'alice' },
    seller: { marketplace: 'MarketB', userId: 'bea' },
    currency: 'EUR',
    feeBps: 250,
    items: [{ description: 'Camera', price: '10000' }],
    fundBy: new Date(now + HOUR).toISOString(),
    shipBy: new Date(now + 2 * HOUR).toISOString(),
    inspectionPeriodSeconds: 86_400,
    ...overrides,
  });
}

/** Registers the founding marketplaces as Oversight's admin, as the network setup does. */
export async function registerFounding(ledger: FakeLedger): Promise<void> {
  const contract = new EscrowContract();
  await ledger.submit(CALLERS.oversightAdmin, (ctx) =>
    contract.registerFoundingMarketplaces(ctx, JSON.stringify(FOUNDING_MARKETPLACES)),
  );
}

/** An in-memory ledger whose registry holds the founding marketplaces. */
export async function foundedLedger(definedCollections?: ReadonlySet<string>): Promise<FakeLedger> {
  const ledger = new FakeLedger(definedCollections);
  await registerFounding(ledger);
  return ledger;
}
