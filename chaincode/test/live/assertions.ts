// Shared expectations of the live escrow tests: what a committed transition looks like, and what a
// refusal must leave behind (its stable code, and the escrow exactly as it was).
import { CommitError, EndorseError, GatewayError, type Gateway } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import {
  escrowContract,
  proposalOptionsOf,
  type Refusal,
  refusalOf,
  type Step,
  type Trade,
} from '@p2p-escrow/testkit';

/** The event of a step is its transition: name, escrow, new state, money, actor and tx time. */
export function expectTransition(step: Step, eventName: string, state: string, actorUserId: string): void {
  expect(step.escrow.state, `${eventName} state`).to.equal(state);
  expect(step.event.name).to.equal(eventName);
  const payload = step.event.payload;
  expect(payload['escrowId']).to.equal(step.escrow.escrowId);
  expect(payload['state']).to.equal(state);
  expect((payload['actor'] as { userId: string }).userId).to.equal(actorUserId);
  expect(payload['txTime']).to.equal(step.escrow.updatedAt);
  for (const field of ['amount', 'fundedAmount', 'buyerRefund', 'sellerPayout', 'fee'] as const) {
    expect(payload[field], `${eventName} ${field}`).to.equal(step.escrow[field]);
  }
  // Every channel member receives the block's event: it tells what happened, not to whom or for how much.
  const actor = payload['actor'] as { organization: string; role: string };
  expect(step.publicEvent.name).to.equal(eventName);
  expect(step.publicEvent.payload).to.deep.equal({
    escrowId: step.escrow.escrowId,
    state,
    txTime: step.escrow.updatedAt,
    actor: { organization: actor.organization, role: actor.role },
  });
}

/** The escrow and its history are exactly what the trade's last committed step left. */
export async function expectUnchanged(trade: Trade): Promise<void> {
  const current = await trade.read();
  expect(current, `${trade.escrowId} after a refusal`).to.deep.equal(trade.lastEscrow);
  expect(await trade.history(), `${trade.escrowId} history`).to.have.length(trade.versions);
}

/**
 * The attempt is refused while endorsing (a submit: EndorseError; an evaluate: GatewayError) with
 * `code`; given a trade, the escrow is checked to be unchanged afterwards.
 */
export async function expectRefusal(
  attempt: Promise<unknown>,
  code: string,
  trade?: Trade,
): Promise<Refusal> {
  const refusal = await refusalOf(attempt);
  expect(refusal.code, refusal.message).to.equal(code);
  expect(refusal.error).to.be.instanceOf(GatewayError);
  if (refusal.error instanceof EndorseError) {
    const chaincodeMessages = refusal.error.details.map((detail) => detail.message);
    expect(
      chaincodeMessages.some((message) => message.includes(`${code}: `)),
      chaincodeMessages.join(' | '),
    ).to.equal(true);
  }
  if (trade !== undefined) await expectUnchanged(trade);
  return refusal;
}

/** Submits through `gateway` with only `orgs` endorsing; the commit must fail the endorsement policy. */
export async function expectPolicyFailure(
  gateway: Gateway,
  transaction: string,
  args: string[],
  orgs: string[],
): Promise<void> {
  const error = await escrowContract(gateway)
    .submit(transaction, proposalOptionsOf(transaction, args, { endorsingOrganizations: orgs }))
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  expect(error, `${transaction} endorsed by ${orgs.join(' + ')}`).to.be.instanceOf(CommitError);
  expect((error as CommitError).code).to.equal(peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
}
