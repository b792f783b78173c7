import { expect } from 'chai';
import {
  answeredExactlyOnce,
  moneyInvariant,
  noDeadlinePassed,
  projectedOnceOnKafka,
  webhooksAccounted,
  type EscrowRow,
  type TransitionRow,
} from './chaosChecker';
import type { LoadedEscrow } from './chaosLoad';
import { outcomeOf, reached } from './chaosLoad';
import { describeLostAnswer, lostAnswers } from './lostAnswers';

const row = (escrowId: string, eventName: string, txId: string): TransitionRow => ({
  escrowId,
  eventName,
  txId,
  eventId: `${txId}:0`,
});

const escrow = (over: Partial<EscrowRow>): EscrowRow => ({
  escrowId: 'e1',
  state: 'RELEASED',
  fundedAmount: 1000n,
  buyerRefund: 0n,
  sellerPayout: 975n,
  fee: 25n,
  inspectionEndsAt: undefined,
  ...over,
});

describe('chaos checker', () => {
  const loaded: LoadedEscrow[] = [
    {
      escrowId: 'e1',
      keeperReleases: false,
      answered: [
        { step: 'create', status: 201, transactionId: 't1', key: 'e1:create:0' },
        { step: 'accept', status: 200, transactionId: 't2', key: 'e1:accept:0' },
      ],
    },
  ];

  it('passes a 2xx step found once on the ledger and in the projection', () => {
    const transitions = [row('e1', 'EscrowCreated', 't1'), row('e1', 'EscrowAccepted', 't2')];
    const history = new Map([['e1', ['t1', 't2']]]);
    expect(answeredExactlyOnce(loaded, transitions, history).passed).to.equal(true);
  });

  it('fails a 2xx step missing from the ledger, and a step found twice', () => {
    const lost = answeredExactlyOnce(loaded, [row('e1', 'EscrowCreated', 't1')], new Map([['e1', ['t1']]]));
    expect(lost.passed).to.equal(false);
    expect(lost.examples.join()).to.contain('e1 accept');
    const twice = answeredExactlyOnce(
      loaded,
      [
        row('e1', 'EscrowCreated', 't1'),
        row('e1', 'EscrowAccepted', 't2'),
        row('e1', 'EscrowAccepted', 't3'),
      ],
      new Map([['e1', ['t1', 't2', 't3']]]),
    );
    expect(twice.passed).to.equal(false);
  });

  it('takes a 202 for an acknowledgement only once its transaction is confirmed committed', () => {
    // The gateway answers 202 "submitted, commit not known"; the load asks the transaction's status
    // and, when it never commits, walks the step again under a fresh key.
    const neverCommitted = {
      step: 'accept',
      status: 202,
      transactionId: 't2',
      key: 'e1:accept:0',
      confirmed: 'UNKNOWN',
    } as const;
    const retried = { step: 'accept', status: 200, transactionId: 't3', key: 'e1:accept:1' } as const;
    const created = { step: 'create', status: 201, transactionId: 't1', key: 'e1:create:0' } as const;
    const escrows: LoadedEscrow[] = [
      { escrowId: 'e1', keeperReleases: false, answered: [created, neverCommitted, retried] },
    ];
    const transitions = [row('e1', 'EscrowCreated', 't1'), row('e1', 'EscrowAccepted', 't3')];
    const history = new Map([['e1', ['t1', 't3']]]);
    expect(answeredExactlyOnce(escrows, transitions, history).examples).to.deep.equal([]);

    const confirmedButAbsent = { ...neverCommitted, confirmed: 'COMMITTED' } as const;
    const lost = answeredExactlyOnce(
      [{ escrowId: 'e1', keeperReleases: false, answered: [created, confirmedButAbsent] }],
      [row('e1', 'EscrowCreated', 't1')],
      new Map([['e1', ['t1']]]),
    );
    expect(lost.passed).to.equal(false);
    expect(lost.examples.join()).to.contain('e1 accept: answered 202');
  });

  it('names each lost answer: the request, its key, the answered transaction and what is missing', () => {
    const lost = lostAnswers(loaded, [row('e1', 'EscrowCreated', 't1')], new Map([['e1', ['t1']]]));
    expect(
      lost.map((answer) => [answer.step, answer.status, answer.key, answer.transactionId]),
    ).to.deep.equal([['accept', 200, 'e1:accept:0', 't2']]);
    expect(describeLostAnswer(lost[0] ?? expect.fail('one lost answer'))).to.equal(
      'e1 accept: answered 200 t2 under key e1:accept:0; 0 times in the ledger history, 0 events in the projection',
    );
    const replaced = lostAnswers(
      loaded,
      [row('e1', 'EscrowCreated', 't1'), row('e1', 'EscrowAccepted', 't7')],
      new Map([['e1', ['t1', 't7']]]),
    );
    expect(replaced.map((answer) => answer.reason)).to.deep.equal([
      "0 times in the ledger history, the projection's event is from t7",
    ]);
  });

  it('fails a ledger transaction absent from the projection or an event absent from Kafka', () => {
    const transitions = [row('e1', 'EscrowCreated', 't1')];
    expect(
      projectedOnceOnKafka(transitions, new Map([['t1:0', 2]]), new Map([['e1', ['t1']]])).passed,
    ).to.equal(true);
    expect(projectedOnceOnKafka(transitions, new Map(), new Map([['e1', ['t1']]])).passed).to.equal(false);
    expect(
      projectedOnceOnKafka(transitions, new Map([['t1:0', 1]]), new Map([['e1', ['t1', 't9']]])).passed,
    ).to.equal(false);
  });

  it('accounts every webhook event as received or dead with a reason', () => {
    const transitions = [row('e1', 'EscrowCreated', 't1'), row('e1', 'EscrowAccepted', 't2')];
    expect(
      webhooksAccounted(transitions, { received: new Set(['t1:0']), dead: new Map([['t2:0', 'HTTP 503']]) })
        .passed,
    ).to.equal(true);
    expect(
      webhooksAccounted(transitions, { received: new Set(['t1:0']), dead: new Map([['t2:0', '']]) }).passed,
    ).to.equal(false);
  });

  it('checks the money invariant at terminal states only', () => {
    expect(moneyInvariant([escrow({})]).passed).to.equal(true);
    expect(moneyInvariant([escrow({ fee: 24n })]).passed).to.equal(false);
    expect(moneyInvariant([escrow({ state: 'FUNDED', sellerPayout: 0n })]).passed).to.equal(true);
  });

  it('flags an escrow left delivered past its inspection window beyond the grace', () => {
    const now = new Date('2026-01-01T00:10:00Z');
    const late = escrow({ state: 'DELIVERED', inspectionEndsAt: new Date('2026-01-01T00:00:00Z') });
    const fresh = escrow({ state: 'DELIVERED', inspectionEndsAt: new Date('2026-01-01T00:09:50Z') });
    expect(noDeadlinePassed([late], now, 30_000).passed).to.equal(false);
    expect(noDeadlinePassed([fresh], now, 30_000).passed).to.equal(true);
  });

  it('names outcomes and knows when an escrow is past a step', () => {
    expect([
      outcomeOf(201),
      outcomeOf(503),
      outcomeOf(undefined),
      outcomeOf(409, 'ESCROW_STATE'),
    ]).to.deep.equal(['2xx', '5xx', 'no answer', '409 ESCROW_STATE']);
    expect(reached('SHIPPED', 'fund')).to.equal(true);
    expect(reached('CREATED', 'ship')).to.equal(false);
    expect(reached('RELEASED', 'release')).to.equal(true);
  });
});
