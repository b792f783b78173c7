// raiseRiskFlag and clearRiskFlag through the contract class: the caller's certificate decides
// (a marketplace cannot issue the risk role), the flag is stored under the escrow's own endorsement
// policy with one event, and a refusal writes nothing.
import { expect } from 'chai';
import { allOf, decodePolicy, member } from '../ledger/endorsementPolicy';
import { CALLERS, caller, foundedLedger, requestJson } from '../testing/contractFixtures';
import { expectRejection } from '../testing/escrowFixtures';
import type { Caller, FakeLedger } from '../testing/fakeLedger';
import { withPositionalSubmits } from '../testing/transientCalls';
import { EscrowContract } from './escrowContract';

const ID = CALLERS;
const FLAG = JSON.stringify({
  rule: 'velocity.buyer-1h',
  reasonCode: 'VELOCITY_BUYER',
  severity: 'high',
  action: 'hold',
});

describe('risk flags through the contract', () => {
  let ledger: FakeLedger;
  const contract = withPositionalSubmits(new EscrowContract());
  const as = (who: Caller) => ledger.as(who);
  const keyVersions = () => [...ledger.history.entries()].map(([key, versions]) => [key, versions.length]);

  beforeEach(async () => {
    ledger = await foundedLedger();
    await as(ID.marketA)((ctx) => contract.createEscrow(ctx, 'esc-r', requestJson()));
    await as(ID.bea)((ctx) => contract.acceptEscrow(ctx, 'esc-r'));
    await as(ID.paymentsA)((ctx) => contract.fundEscrow(ctx, 'esc-r', '10000', 'EUR', 'psp-1'));
  });

  it('stores the risk service’s flag with the escrow’s own policy and emits RiskFlagRaised', async () => {
    const flagged = JSON.parse(await as(ID.risk)((ctx) => contract.raiseRiskFlag(ctx, 'esc-r', FLAG))) as {
      state: string;
    };
    expect(flagged.state).to.equal('FUNDED');
    const event = ledger.events.at(-1);
    expect(event?.name).to.equal('RiskFlagRaised');
    expect(event?.payload).to.deep.include({ actor: { organization: 'Oversight', role: 'risk' } });
    const key = [...ledger.validationParameters.keys()].find((name) => name.includes('esc-r')) ?? '';
    expect(decodePolicy(ledger.validationParameters.get(key) ?? new Uint8Array())).to.deep.equal(
      allOf(member('MarketAMSP'), member('MarketBMSP')),
    );
    const record = JSON.parse(await as(ID.auditor)((ctx) => contract.readEscrow(ctx, 'esc-r'))) as {
      riskFlags: { rule: string; clearedAt: null }[];
    };
    expect(record.riskFlags).to.have.length(1);
    expect(record.riskFlags[0]).to.include({ rule: 'velocity.buyer-1h', clearedAt: null });
  });

  it('refuses every other caller, a marketplace’s self-declared risk identity included, and writes nothing', async () => {
    const before = keyVersions();
    const forbidden: Caller[] = [ID.alice, ID.bea, ID.marketA, ID.marketB, ID.keeper, ID.auditor, ID.arbiter];
    for (const who of forbidden)
      await expectRejection(
        () => as(who)((ctx) => contract.raiseRiskFlag(ctx, 'esc-r', FLAG)),
        'FORBIDDEN_ACTOR',
      );
    await expectRejection(
      () =>
        as(caller('MarketA', 'risk', 'risk-service'))((ctx) => contract.raiseRiskFlag(ctx, 'esc-r', FLAG)),
      'INVALID_IDENTITY',
    );
    expect(keyVersions()).to.deep.equal(before);
  });

  it('answers a second raise of an active rule with RISK_FLAG_ALREADY_RAISED, and an unknown escrow with ESCROW_NOT_FOUND', async () => {
    await as(ID.risk)((ctx) => contract.raiseRiskFlag(ctx, 'esc-r', FLAG));
    await expectRejection(
      () => as(ID.risk)((ctx) => contract.raiseRiskFlag(ctx, 'esc-r', FLAG)),
      'RISK_FLAG_ALREADY_RAISED',
    );
    await expectRejection(
      () => as(ID.risk)((ctx) => contract.raiseRiskFlag(ctx, 'no-such-escrow', FLAG)),
      'ESCROW_NOT_FOUND',
    );
  });

  it('lets the arbiter clear it with a reason, refuses the buyer, and answers a cleared rule with RISK_FLAG_NOT_FOUND', async () => {
    await as(ID.risk)((ctx) => contract.raiseRiskFlag(ctx, 'esc-r', FLAG));
    await expectRejection(
      () => as(ID.alice)((ctx) => contract.clearRiskFlag(ctx, 'esc-r', 'velocity.buyer-1h', 'mine')),
      'FORBIDDEN_ACTOR',
    );
    await as(ID.arbiter)((ctx) => contract.clearRiskFlag(ctx, 'esc-r', 'velocity.buyer-1h', 'checked'));
    expect(ledger.events.at(-1)?.name).to.equal('RiskFlagCleared');
    await expectRejection(
      () => as(ID.risk)((ctx) => contract.clearRiskFlag(ctx, 'esc-r', 'velocity.buyer-1h', 'again')),
      'RISK_FLAG_NOT_FOUND',
    );
  });
});
