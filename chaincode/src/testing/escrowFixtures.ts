// Shared test fixtures: the network's identities as actors, a valid create request, fixed
// instants, and a Given/When/Then helper for state-machine cases.
import { expect } from 'chai';
import { type ChannelSettings, DEFAULT_CHANNEL_SETTINGS } from '../config/channelSettings';
import { type Organization, type Role, mspIdOf } from '../config/identityConfig';
import {
  type MarketplaceRegistry,
  type MarketplaceSpec,
  foundingRegistry,
} from '../config/marketplaceRegistry';
import { EscrowError, type ErrorCode } from '../errors/escrowErrors';
import type { Escrow } from '../escrow/escrow';
import { type Command, type Transition, applyCommand } from '../escrow/stateMachine';
import type { Actor } from '../identity/actor';

export function actor(organization: Organization, role: Role, userId: string): Actor {
  return { mspId: mspIdOf(organization), organization, role, userId };
}

export const ACTORS = {
  marketA: actor('MarketA', 'marketplace', 'marketa-backend'),
  marketB: actor('MarketB', 'marketplace', 'marketb-backend'),
  paymentsA: actor('MarketA', 'payments', 'marketa-payments'),
  paymentsB: actor('MarketB', 'payments', 'marketb-payments'),
  carrierA: actor('MarketA', 'carrier', 'marketa-carrier'),
  carrierB: actor('MarketB', 'carrier', 'marketb-carrier'),
  carrierOversight: actor('Oversight', 'carrier', 'oversight-carrier'),
  adminA: actor('MarketA', 'admin', 'marketa-admin'),
  adminB: actor('MarketB', 'admin', 'marketb-admin'),
  alice: actor('MarketA', 'buyer', 'alice'),
  amir: actor('MarketA', 'seller', 'amir'),
  bob: actor('MarketB', 'buyer', 'bob'),
  bea: actor('MarketB', 'seller', 'bea'),
  arbiter: actor('Oversight', 'arbiter', 'olivia'),
  auditor: actor('Oversight', 'auditor', 'oscar'),
  keeper: actor('Oversight', 'keeper', 'keeper'),
  oversightAdmin: actor('Oversight', 'admin', 'oversight-admin'),
  risk: actor('Oversight', 'risk', 'risk-service'),
  // Lookalikes: right user id, wrong role or wrong org.
  aliceAsSeller: actor('MarketA', 'seller', 'alice'),
  beaOnMarketA: actor('MarketA', 'seller', 'bea'),
  mallory: actor('MarketA', 'buyer', 'mallory'),
} as const;

export const T0 = Date.parse('2030-01-01T00:00:00.000Z');
export const HOUR = 3600 * 1000;
export const DAY = 24 * HOUR;
export const FUND_BY = T0 + DAY;
export const SHIP_BY = T0 + 7 * DAY;
export const INSPECTION_SECONDS = 3 * 24 * 3600;

/** Alice (MarketA) buys two items from Bea (MarketB): 12 345 EUR cents at 2.5 % fee. */
export function createRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    buyer: { marketplace: 'MarketA', userId: 'alice' },
    seller: { marketplace: 'MarketB', userId: 'bea' },
    currency: 'EUR',
    amount: '12345',
    feeBps: 250,
    items: [
      { description: 'Camera', price: '12000' },
      { description: 'Strap', price: '345' },
    ],
    fundBy: new Date(FUND_BY).toISOString(),
    shipBy: new Date(SHIP_BY).toISOString(),
    inspectionPeriodSeconds: INSPECTION_SECONDS,
    ...overrides,
  };
}

/** Settings that bound nothing, for properties that range over every fee and window the codec allows. */
export const WIDEST_SETTINGS: ChannelSettings = {
  maxFeeBps: 10_000,
  minInspectionPeriodSeconds: 1,
  maxAcceptancePeriodSeconds: 90 * 24 * 3600,
  settlementPeriodSeconds: 24 * 3600,
  defaultDeliveryPeriodSeconds: DEFAULT_CHANNEL_SETTINGS.defaultDeliveryPeriodSeconds,
  missedDeliveryOutcome: DEFAULT_CHANNEL_SETTINGS.missedDeliveryOutcome,
};

type CommandOf<T extends Command['type']> = Extract<Command, { type: T }>;

/** The local network's founding marketplaces, as the runner registers them. */
export const FOUNDING_MARKETPLACES: readonly MarketplaceSpec[] = [
  { name: 'MarketA', mspId: 'MarketAMSP' },
  { name: 'MarketB', mspId: 'MarketBMSP' },
];

export const FOUNDING_REGISTRY: MarketplaceRegistry = foundingRegistry(FOUNDING_MARKETPLACES, {
  at: '2029-12-01T00:00:00.000Z',
  by: 'oversight-admin@Oversight',
});

export const CREATE: CommandOf<'create'> = {
  type: 'create',
  escrowId: 'esc-1',
  request: createRequest(),
  privateDetailsHash: null,
  settings: DEFAULT_CHANNEL_SETTINGS,
  marketplaces: FOUNDING_REGISTRY,
};
export const FUND: CommandOf<'fund'> = {
  type: 'fund',
  amount: '12345',
  currency: 'EUR',
  providerRef: 'psp-1',
};
export const ACCEPT: CommandOf<'accept'> = { type: 'accept' };
export const SHIP: CommandOf<'ship'> = { type: 'ship', carrier: 'DHL', trackingRef: 'TRK-1' };
export const DISPUTE: CommandOf<'dispute'> = {
  type: 'dispute',
  reason: 'item damaged',
  evidenceHashes: ['a'.repeat(64)],
};

export type Step = readonly [Actor, Command, number];

/** MarketA proposes for alice at T0; bea, the counterparty, accepts half an hour later. */
const AGREED: readonly Step[] = [
  [ACTORS.marketA, CREATE, T0],
  [ACTORS.bea, ACCEPT, T0 + HOUR / 2],
];

/** The standard path up to a state, as steps at sensible times. */
export const PATH: Readonly<
  Record<'PROPOSED' | 'CREATED' | 'FUNDED' | 'SHIPPED' | 'DELIVERED' | 'DISPUTED', readonly Step[]>
> = {
  PROPOSED: [[ACTORS.marketA, CREATE, T0]],
  CREATED: AGREED,
  FUNDED: [...AGREED, [ACTORS.paymentsA, FUND, T0 + HOUR]],
  SHIPPED: [...AGREED, [ACTORS.paymentsA, FUND, T0 + HOUR], [ACTORS.bea, SHIP, T0 + DAY]],
  DELIVERED: [
    ...AGREED,
    [ACTORS.paymentsA, FUND, T0 + HOUR],
    [ACTORS.bea, SHIP, T0 + DAY],
    [ACTORS.alice, { type: 'confirmDelivery' }, T0 + 2 * DAY],
  ],
  DISPUTED: [
    ...AGREED,
    [ACTORS.paymentsA, FUND, T0 + HOUR],
    [ACTORS.bea, SHIP, T0 + DAY],
    [ACTORS.alice, DISPUTE, T0 + 2 * DAY],
  ],
};

export function run(steps: readonly Step[], start?: Escrow): Escrow {
  let escrow = start;
  for (const [who, command, at] of steps) escrow = applyCommand(escrow, command, who, at).escrow;
  if (escrow === undefined) throw new Error('no steps');
  return escrow;
}

/**
 * given(steps).when(actor, command, at) then expect a transition or a refusal code; `endorserAt` is
 * the endorser's clock when it differs from the transaction time.
 */
export function given(steps: readonly Step[]): {
  when: (
    who: Actor,
    command: Command,
    at: number,
    endorserAt?: number,
  ) => { then: () => Transition; refusedWith: (code: ErrorCode) => void };
} {
  const escrow = steps.length === 0 ? undefined : run(steps);
  return {
    when: (who, command, at, endorserAt = at) => ({
      then: () => applyCommand(escrow, command, who, at, endorserAt),
      refusedWith: (code) => {
        expectRefusal(() => applyCommand(escrow, command, who, at, endorserAt), code);
      },
    }),
  };
}

export function expectRefusal(action: () => unknown, code: ErrorCode): void {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(EscrowError);
    if (error instanceof EscrowError) {
      expect(error.code, error.message).to.equal(code);
      expect(error.message.startsWith(`${code}: `)).to.equal(true);
    }
    return;
  }
  expect.fail(`expected a refusal with ${code}`);
}

export async function expectRejection(action: () => Promise<unknown>, code: ErrorCode): Promise<void> {
  try {
    await action();
  } catch (error) {
    expect(error).to.be.instanceOf(Error);
    if (error instanceof Error) expect(error.message.startsWith(`${code}: `), error.message).to.equal(true);
    return;
  }
  expect.fail(`expected a rejection with ${code}`);
}
