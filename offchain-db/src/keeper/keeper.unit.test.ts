import { expect } from 'chai';
import { ChaincodeRefusal, type DeadlineLedger, type DeadlineStore, type DueEscrow } from './deadlinePorts';
import { deadlineEndorsers, deadlineProposal } from './fabricDeadlineLedger';
import { Keeper, type KeeperObserver, type Outcome } from './keeper';

const due = (escrowId: string, action: DueEscrow['action'] = 'release'): DueEscrow => ({
  escrowId,
  action,
  buyerMarketplace: 'MarketA',
  sellerMarketplace: 'MarketB',
  deadline: new Date(0),
});

class Recorder implements KeeperObserver {
  readonly outcomes: [string, Outcome, string][] = [];
  transition(_action: string, outcome: Outcome, escrowId: string, detail: string): void {
    this.outcomes.push([escrowId, outcome, detail]);
  }
  tick(): void {
    // Not needed here.
  }
}

function keeperWith(
  escrows: DueEscrow[],
  answer: (escrow: DueEscrow) => Promise<string>,
  clock = { now: 0 },
) {
  const store: DeadlineStore = { dueEscrows: () => Promise.resolve(escrows) };
  const submitted: string[] = [];
  const ledger: DeadlineLedger = {
    submit: (escrow) => {
      submitted.push(escrow.escrowId);
      return answer(escrow);
    },
    close: () => undefined,
  };
  const recorder = new Recorder();
  const keeper = new Keeper(store, ledger, recorder, {
    batchSize: 10,
    retryAfterMs: 30_000,
    now: () => new Date(clock.now),
  });
  return { keeper, submitted, recorder };
}

describe('deadline keeper', () => {
  it('submits each due transition and counts the commits', async () => {
    const { keeper, submitted } = keeperWith([due('e1'), due('e2', 'cancel')], (e) =>
      Promise.resolve(`tx-${e.escrowId}`),
    );
    expect(await keeper.tick()).to.equal(2);
    expect(submitted).to.deep.equal(['e1', 'e2']);
  });

  it('treats DEADLINE_NOT_REACHED, INVALID_STATE and ESCROW_HELD as harmless, other refusals and failures not', async () => {
    const answers: Record<string, () => Promise<string>> = {
      early: () => Promise.reject(new ChaincodeRefusal('DEADLINE_NOT_REACHED', 'early')),
      twice: () => Promise.reject(new ChaincodeRefusal('INVALID_STATE', 'already released')),
      // A hold the projection has not seen yet: the next tick no longer finds the escrow due.
      held: () => Promise.reject(new ChaincodeRefusal('ESCROW_HELD', 'held by velocity.buyer-1h')),
      odd: () => Promise.reject(new ChaincodeRefusal('FORBIDDEN_ACTOR', 'no')),
      down: () => Promise.reject(new Error('peer unavailable')),
    };
    const { keeper, recorder } = keeperWith(
      Object.keys(answers).map((id) => due(id)),
      (e) => (answers[e.escrowId] ?? (() => Promise.resolve('tx')))(),
    );
    expect(await keeper.tick()).to.equal(0);
    expect(recorder.outcomes.map(([id, outcome]) => [id, outcome])).to.deep.equal([
      ['early', 'refused_harmless'],
      ['twice', 'refused_harmless'],
      ['held', 'refused_harmless'],
      ['odd', 'refused'],
      ['down', 'failed'],
    ]);
  });

  it('leaves an escrow it just attempted alone until the retry delay has passed', async () => {
    const clock = { now: 0 };
    const { keeper, submitted } = keeperWith([due('e1')], () => Promise.resolve('tx'), clock);
    await keeper.tick();
    clock.now = 10_000;
    await keeper.tick();
    expect(submitted).to.deep.equal(['e1']);
    clock.now = 30_000;
    await keeper.tick();
    expect(submitted).to.deep.equal(['e1', 'e1']);
  });

  it('tries another item of an escrow whose other item it just attempted', async () => {
    const clock = { now: 0 };
    const item = (index: number): DueEscrow => ({ ...due('e1', 'releaseItem'), item: index });
    const dueNow: DueEscrow[] = [item(0)];
    const { keeper, recorder } = keeperWith(dueNow, (e) => Promise.resolve(`tx-${String(e.item)}`), clock);
    await keeper.tick();
    dueNow.push(item(1));
    clock.now = 10_000;
    await keeper.tick();
    expect(recorder.outcomes.map(([, , detail]) => detail)).to.deep.equal(['tx-0', 'tx-1']);
  });

  it('names the item of an item-level deadline in the transient arguments, and none for the escrow’s own', () => {
    const whole = deadlineProposal(due('e1'));
    expect(whole.transaction).to.equal('releaseEscrow');
    expect(whole.options).to.deep.equal({
      arguments: ['e1'],
      endorsingOrganizations: ['MarketAMSP', 'MarketBMSP'],
    });
    for (const [action, transaction] of [
      ['releaseItem', 'releaseItem'],
      ['expireReturn', 'expireReturn'],
      ['expireItemDelivery', 'expireItemDelivery'],
    ] as const) {
      const proposal = deadlineProposal({ ...due('e2', action), item: 3 });
      expect(proposal.transaction).to.equal(transaction);
      expect(proposal.options).to.deep.include({
        arguments: ['e2'],
        transientData: { arguments: '{"item":3}' },
      });
    }
  });

  it('names both parties’ orgs as endorsers, or the org and Oversight on one marketplace', () => {
    expect(deadlineEndorsers(due('x'))).to.deep.equal(['MarketAMSP', 'MarketBMSP']);
    expect(deadlineEndorsers({ buyerMarketplace: 'MarketB', sellerMarketplace: 'MarketB' })).to.deep.equal([
      'MarketBMSP',
      'OversightMSP',
    ]);
  });

  it('refuses to name endorsers for a marketplace whose name no MSP ID can be built from', () => {
    expect(() => deadlineEndorsers({ buyerMarketplace: 'market z', sellerMarketplace: 'MarketB' })).to.throw(
      'market z is not an organization name',
    );
  });
});
