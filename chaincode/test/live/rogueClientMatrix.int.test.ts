// The authorization matrix's ledger half, walked by a rogue client: each caller's own Fabric identity
// sends the transaction straight to the peers (no gateway in between), through its own org's peer,
// asking the escrow's endorsing orgs. Every refused cell must be refused by the chaincode with the
// matrix's code, every allowed read must answer, and the allowed actor's own write, endorsed without
// the other party's marketplace, must fail the endorsement policy. Every escrow stays as it was.
import { expect } from 'chai';
import {
  errorMessages,
  evaluateEscrow,
  evaluatePrivateDetails,
  fabricSuite,
  inBatches,
  isEscrowSetup,
  LEDGER_ACTORS,
  LEDGER_MATRIX,
  matrixEscrow,
  MATRIX_OFFER_REFUND,
  MSP_IDS,
  orgOfIdentity,
  refusalOf,
  sha256Hex,
  submitEscrow,
  Trade,
  type EscrowSetup,
  type GatewayPool,
  type LedgerActor,
  type LedgerOperation,
} from '@p2p-escrow/testkit';
import { expectPolicyFailure, expectUnchanged } from './assertions';

const DAY_MS = 86_400_000;

/** The arguments each transaction is walked with: valid, so a refusal is about who sends it. */
function argsOf(transaction: string, trade: Trade): string[] {
  const id = trade.escrowId;
  switch (transaction) {
    case 'createEscrow': {
      const fresh = new Trade(trade.pool, trade.parties, 'matrix-rogue-create');
      return [fresh.escrowId, JSON.stringify(fresh.request())];
    }
    case 'fundEscrow':
      return [id, trade.amount, trade.currency, `psp-rogue-${id}`];
    case 'shipEscrow':
      return [id, 'DHL', `trk-rogue-${id}`];
    case 'disputeEscrow':
      return [id, 'not as described', JSON.stringify([sha256Hex(`rogue ${id}`)])];
    case 'resolveDispute':
      return [id, '0'];
    case 'extendShipBy':
      return [id, new Date(Date.now() + 10 * DAY_MS).toISOString()];
    case 'offerSettlement':
      return [id, MATRIX_OFFER_REFUND];
    case 'recordSettlement':
      return [id, 'seller', `payout-rogue-${id}`];
    case 'postReview':
      return [id, '5', 'c'.repeat(64)];
    case 'getReputation':
      return ['MarketA', 'alice'];
    // A party of its own per escrow: once attested, the key holds its marketplace's and Oversight's
    // policy, which the walk's endorsers (the trade's orgs) would not meet on a later run.
    case 'attestVerification':
      return [`MarketA:matrix-${id}`, sha256Hex(`verified ${id}`), 'verified'];
    case 'readVerificationAttestation':
      return ['MarketA:alice'];
    case 'raiseRiskFlag':
      return [
        id,
        JSON.stringify({ rule: 'rogue.hold', reasonCode: 'ROGUE', severity: 'high', action: 'hold' }),
      ];
    case 'clearRiskFlag':
      return [id, 'rogue.hold', 'rogue clear'];
    case 'proposeTerms':
      return [id, JSON.stringify({ shipBy: new Date(Date.now() + 10 * DAY_MS).toISOString() })];
    // Item 0 of the prepared two-item escrow.
    case 'shipItem':
      return [id, '0', 'DHL', `trk-rogue-${id}`];
    case 'shipReturn':
      return [id, '0', 'UPS', `ret-rogue-${id}`];
    case 'disputeItem':
    case 'disputeReturn':
      return [id, '0', 'not as described', JSON.stringify([sha256Hex(`rogue ${id}`)])];
    case 'resolveItem':
      return [id, '0', '0'];
    case 'rejectItem':
      return [id, '0', 'wrong size'];
    case 'provideReturnAddress':
      return [id, '0', sha256Hex(`rogue return address ${id}`)];
    case 'offerItemSettlement':
      return [id, '0', MATRIX_OFFER_REFUND];
    case 'confirmItemDelivery':
    case 'releaseItem':
    case 'confirmReturn':
    case 'expireReturn':
    case 'expireItemDelivery':
    case 'acceptItemOffer':
    case 'declineItemOffer':
      return [id, '0'];
    default:
      return [id];
  }
}

/** Sends `operation` as `identity` through its own org's peer; resolves to its result or throws. */
function send(
  pool: GatewayPool,
  operation: LedgerOperation,
  identity: string,
  trade: Trade,
): Promise<unknown> {
  const gateway = pool.of(identity);
  const own = { endorsingOrganizations: [MSP_IDS[orgOfIdentity(identity)] ?? ''] };
  if (operation.transaction === 'readPrivateDetails')
    return evaluatePrivateDetails(gateway, trade.escrowId, own);
  const args = argsOf(operation.transaction, trade);
  if (operation.kind === 'evaluate') return evaluateEscrow(gateway, operation.transaction, args, own);
  return submitEscrow(gateway, operation.transaction, args, { endorsingOrganizations: trade.endorsers });
}

/** The allowed actor's own org and Oversight (the arbiter's: Oversight alone). */
function withoutCounterparty(identity: string): string[] {
  return [...new Set([MSP_IDS[orgOfIdentity(identity)] ?? '', MSP_IDS['Oversight'] ?? ''])];
}

describe('rogue client: the authorization matrix straight to the peers', function () {
  this.timeout(300_000);
  const pool = fabricSuite();
  const cross = new Map<EscrowSetup, Trade>();
  let oneMarketplace: Trade | undefined;
  /** An escrow of its own for each write the matrix lets commit without the other party's org. */
  const ownEscrows = new Map<string, Trade>();

  before(async function () {
    this.timeout(420_000);
    const startedAt = Date.now();
    const setups = new Set(LEDGER_MATRIX.map((operation) => operation.setup).filter(isEscrowSetup));
    setups.add('created');
    await inBatches([
      ...[...setups].map((setup) => async () => {
        cross.set(setup, await matrixEscrow(pool, 'crossMarketplace', setup));
      }),
      async () => {
        oneMarketplace = await matrixEscrow(pool, 'oneMarketplace', 'created');
      },
      ...LEDGER_MATRIX.filter((operation) => operation.withoutCounterpartyOrg === 'ok').map(
        (operation) => async () => {
          const setup = isEscrowSetup(operation.setup) ? operation.setup : 'created';
          ownEscrows.set(operation.transaction, await matrixEscrow(pool, 'crossMarketplace', setup));
        },
      ),
    ]);
    const newest = [...cross.values(), ...ownEscrows.values(), oneMarketplace].reduce(
      (max, trade) => (trade !== undefined && trade.lastBlock > max ? trade.lastBlock : max),
      0n,
    );
    await pool.caughtUp(['MarketA', 'MarketB', 'Oversight'], newest);
    console.log(
      `      matrix: ${String(LEDGER_MATRIX.length)} transactions, ${String(cross.size + ownEscrows.size + 1)} escrows prepared in ${String(Date.now() - startedAt)} ms`,
    );
  });

  function tradeFor(operation: LedgerOperation, actor: LedgerActor): Trade {
    const setup = isEscrowSetup(operation.setup) ? operation.setup : 'created';
    const trade = LEDGER_ACTORS[actor].escrow === 'oneMarketplace' ? oneMarketplace : cross.get(setup);
    if (trade === undefined) throw new Error(`no ${setup} escrow prepared`);
    return trade;
  }

  for (const operation of LEDGER_MATRIX) {
    it(`${operation.transaction}: refused as the matrix says`, async () => {
      const wrong: string[] = [];
      const check = async ([actor, cell]: [LedgerActor, string]): Promise<void> => {
        const identity = LEDGER_ACTORS[actor].identity;
        const attempt = send(pool, operation, identity, tradeFor(operation, actor));
        if (cell === 'ok') {
          const failed = await attempt.then(
            () => undefined,
            (error: unknown) => errorMessages(error).join(' | '),
          );
          if (failed !== undefined) wrong.push(`${actor} (${identity}): expected ok, got ${failed}`);
          return;
        }
        const refusal = await refusalOf(attempt).catch((error: unknown) => ({
          code: String(error),
          message: '',
        }));
        if (refusal.code !== cell)
          wrong.push(`${actor} (${identity}): expected ${cell}, got ${refusal.code} ${refusal.message}`);
      };
      // Allowed writes move the escrow on: the gateway's walk and the lifecycle tests make them.
      const walked = (Object.entries(operation.cells) as [LedgerActor, string][]).filter(
        ([, cell]) => cell !== 'ok' || operation.kind === 'evaluate',
      );
      await Promise.all(walked.map(check));
      expect(wrong, wrong.join('\n')).to.deep.equal([]);

      const allowed = (Object.entries(operation.cells) as [LedgerActor, string][]).find(
        ([, cell]) => cell === 'ok',
      );
      const expected = operation.withoutCounterpartyOrg;
      if (expected === undefined || allowed === undefined) return;
      const identity = LEDGER_ACTORS[allowed[0]].identity;
      const endorsers = withoutCounterparty(identity);
      if (expected === 'ok') {
        // It commits: on an escrow of its own, so the shared ones stay as they were.
        const trade = ownEscrows.get(operation.transaction);
        if (trade === undefined) throw new Error(`no escrow of its own for ${operation.transaction}`);
        await submitEscrow(pool.of(identity), operation.transaction, argsOf(operation.transaction, trade), {
          endorsingOrganizations: endorsers,
        });
        return;
      }
      expect(expected).to.equal('ENDORSEMENT_POLICY_FAILURE');
      const trade = tradeFor(operation, allowed[0]);
      await expectPolicyFailure(
        pool.of(identity),
        operation.transaction,
        argsOf(operation.transaction, trade),
        endorsers,
      );
    });
  }

  it('leaves every escrow it walked on as it was', async () => {
    for (const trade of [...cross.values(), oneMarketplace])
      if (trade !== undefined) await expectUnchanged(trade);
  });
});
