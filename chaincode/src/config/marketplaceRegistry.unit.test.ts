import { expect } from 'chai';
import fc from 'fast-check';
import { EscrowError } from '../errors/escrowErrors';
import { type IdentitySource, actorFromIdentity } from '../identity/actor';
import { expectRefusal } from '../testing/escrowFixtures';
import {
  type MarketplaceRegistry,
  foundingRegistry,
  marketplaceRegistryFromBytes,
  parseMarketplaceSpecs,
  withMarketplace,
  withStatus,
} from './marketplaceRegistry';
import { toStateBytes } from '../ledger/stateSerializer';

const NAMES = ['MarketA', 'MarketB', 'MarketC', 'MarketD'] as const;
const spec = (name: string) => ({ name, mspId: `${name}MSP` });
const change = (step: number) => ({
  at: new Date(Date.UTC(2030, 0, 1, 0, step)).toISOString(),
  by: 'admin@Oversight',
});

function backendOf(name: string): IdentitySource {
  const attributes: Record<string, string> = { role: 'marketplace', userId: 'backend', marketplace: name };
  return { getMSPID: () => `${name}MSP`, getAttributeValue: (attribute) => attributes[attribute] ?? null };
}

type Operation = { kind: 'add' | 'suspend' | 'reinstate'; name: (typeof NAMES)[number] };

describe('marketplace registry', () => {
  it('admits exactly the identities of registered, active marketplaces, whatever governance did before', () => {
    const operation: fc.Arbitrary<Operation> = fc.record({
      kind: fc.constantFrom('add' as const, 'suspend' as const, 'reinstate' as const),
      name: fc.constantFrom(...NAMES),
    });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 30 }), (operations) => {
        let registry: MarketplaceRegistry = foundingRegistry([spec('MarketA'), spec('MarketB')], change(0));
        const model = new Map<string, 'active' | 'suspended'>([
          ['MarketA', 'active'],
          ['MarketB', 'active'],
        ]);
        operations.forEach(({ kind, name }, index) => {
          const status = model.get(name);
          const allowed =
            kind === 'add' ? status === undefined : status === (kind === 'suspend' ? 'active' : 'suspended');
          try {
            registry =
              kind === 'add'
                ? withMarketplace(registry, spec(name), change(index + 1))
                : withStatus(registry, name, kind === 'suspend' ? 'suspended' : 'active', change(index + 1));
            expect(allowed, `${kind} ${name} was allowed`).to.equal(true);
            model.set(name, kind === 'suspend' ? 'suspended' : 'active');
          } catch (error) {
            if (!(error instanceof EscrowError)) throw error;
            expect(allowed, `${kind} ${name}: ${error.message}`).to.equal(false);
          }
        });
        expect(marketplaceRegistryFromBytes(toStateBytes(registry))).to.deep.equal(registry);
        expect(registry.marketplaces.map((entry) => entry.name)).to.deep.equal([...model.keys()].sort());
        for (const name of NAMES) {
          const status = model.get(name);
          const code =
            status === 'active'
              ? undefined
              : status === undefined
                ? 'INVALID_IDENTITY'
                : 'MARKETPLACE_SUSPENDED';
          if (code === undefined)
            expect(actorFromIdentity(backendOf(name), registry).organization).to.equal(name);
          else expectRefusal(() => actorFromIdentity(backendOf(name), registry), code);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses an MSP ID that breaks the naming rule the policies rely on, and Oversight as a marketplace', () => {
    const registry = foundingRegistry([spec('MarketA')], change(0));
    expectRefusal(
      () => withMarketplace(registry, { name: 'MarketC', mspId: 'MarketAMSP' }, change(1)),
      'MARKETPLACE_EXISTS',
    );
    expectRefusal(
      () => parseMarketplaceSpecs(JSON.stringify([{ name: 'Oversight', mspId: 'OversightMSP' }])),
      'INVALID_INPUT',
    );
    expectRefusal(
      () => parseMarketplaceSpecs(JSON.stringify([spec('MarketA'), spec('MarketA')])),
      'INVALID_INPUT',
    );
    expectRefusal(() => parseMarketplaceSpecs('[]'), 'INVALID_INPUT');
    expectRefusal(() => marketplaceRegistryFromBytes(Buffer.from('{"docType":"other"}')), 'CORRUPT_STATE');
  });
});
