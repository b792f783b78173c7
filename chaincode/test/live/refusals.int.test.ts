// Every kind of refusal through the real peers: the endorsers' chaincode answers with the stable code
// in each detail message, no transaction is ordered, and the escrow is exactly as it was.
import { EndorseError } from '@hyperledger/fabric-gateway';
import { expect } from 'chai';
import {
  evaluateEscrow,
  CROSS_MARKET,
  Trade,
  sha256Hex,
  uniqueEscrowId,
  fabricSuite,
} from '@p2p-escrow/testkit';
import { expectRefusal, expectUnchanged } from './assertions';

describe('escrow refusals on the live network', function () {
  this.timeout(180_000);
  const pool = fabricSuite();
  let created: Trade;
  let funded: Trade;
  let released: Trade;

  before(async () => {
    created = new Trade(pool, CROSS_MARKET, 'refuse-created');
    funded = new Trade(pool, CROSS_MARKET, 'refuse-funded');
    released = new Trade(pool, CROSS_MARKET, 'refuse-released');
    await Promise.all([
      created.create(),
      funded.create().then(() => funded.fund()),
      released.completeThroughRelease(),
    ]);
  });

  describe('wrong actor: FORBIDDEN_ACTOR', () => {
    it('refuses funding by the seller’s marketplace payments identity and by the buyer', async () => {
      const args = [created.escrowId, '12345', 'EUR', 'psp-x'];
      const refusal = await expectRefusal(
        created.step('marketb-payments', 'fundEscrow', args),
        'FORBIDDEN_ACTOR',
        created,
      );
      expect(refusal.error).to.be.instanceOf(EndorseError);
      expect(refusal.message).to.contain('is not a payments identity of MarketA');
      await expectRefusal(created.step('alice', 'fundEscrow', args), 'FORBIDDEN_ACTOR', created);
    });

    it('refuses shipping by another seller and cancelling of a funded escrow by the buyer', async () => {
      await expectRefusal(
        funded.step('amir', 'shipEscrow', [funded.escrowId, 'DHL', 'trk-1']),
        'FORBIDDEN_ACTOR',
        funded,
      );
      await expectRefusal(funded.step('alice', 'cancelEscrow', [funded.escrowId]), 'FORBIDDEN_ACTOR', funded);
    });

    it('refuses an escrow opened by a marketplace that is neither party’s', async () => {
      const foreign = new Trade(pool, { ...CROSS_MARKET, buyer: 'bob' }, 'refuse-foreign');
      // MarketA's backend tries to open a trade between two MarketB users.
      const attempt = foreign.step('marketa-backend', 'createEscrow', [
        foreign.escrowId,
        JSON.stringify(foreign.request()),
      ]);
      await expectRefusal(attempt, 'FORBIDDEN_ACTOR');
      await expectRefusal(foreign.read(), 'ESCROW_NOT_FOUND');
    });
  });

  describe('wrong state: INVALID_STATE', () => {
    it('refuses shipping, confirming and releasing an escrow that is not funded', async () => {
      await expectRefusal(created.ship(), 'INVALID_STATE', created);
      await expectRefusal(created.confirmDelivery(), 'INVALID_STATE', created);
      await expectRefusal(created.release(), 'INVALID_STATE', created);
    });

    it('refuses funding twice and resolving an escrow that is not disputed', async () => {
      await expectRefusal(funded.fund(), 'INVALID_STATE', funded);
      await expectRefusal(funded.resolve('0'), 'INVALID_STATE', funded);
    });

    it('keeps a released escrow final', async () => {
      await expectRefusal(
        released.step('bea', 'cancelEscrow', [released.escrowId]),
        'INVALID_STATE',
        released,
      );
      await expectRefusal(released.dispute(), 'INVALID_STATE', released);
      await expectRefusal(released.release(), 'INVALID_STATE', released);
    });
  });

  describe('malformed or oversize input: INVALID_INPUT, INPUT_TOO_LARGE', () => {
    it('refuses funding with a wrong, signed, padded or oversize amount, or another currency', async () => {
      const fund = (amount: string, currency = 'EUR') =>
        created.step('marketa-payments', 'fundEscrow', [created.escrowId, amount, currency, 'psp-x']);
      await expectRefusal(fund('12344'), 'INVALID_INPUT', created);
      await expectRefusal(fund('-12345'), 'INVALID_INPUT', created);
      await expectRefusal(fund('012345'), 'INVALID_INPUT', created);
      await expectRefusal(fund('12345.0'), 'INVALID_INPUT', created);
      await expectRefusal(fund('1'.repeat(19)), 'INPUT_TOO_LARGE', created);
      await expectRefusal(fund('12345', 'USD'), 'INVALID_INPUT', created);
    });

    it('refuses a create request that is not JSON, over 16 KiB, or with a bad escrow id', async () => {
      const trade = new Trade(pool, CROSS_MARKET, 'refuse-input');
      const create = (escrowId: string, request: string) =>
        trade.step('marketa-backend', 'createEscrow', [escrowId, request]);
      const valid = JSON.stringify(trade.request());
      await expectRefusal(create(trade.escrowId, '{"buyer":'), 'INVALID_INPUT');
      await expectRefusal(create(trade.escrowId, valid + ' '.repeat(16_384)), 'INPUT_TOO_LARGE');
      await expectRefusal(create('has space', valid), 'INVALID_INPUT');
      await expectRefusal(create('x'.repeat(65), valid), 'INPUT_TOO_LARGE');
      // JSON drops the undefined amount, so only the item count is wrong.
      const items = new Array(51).fill({ description: 'x', price: '1' });
      const tooManyItems = { ...trade.request(), amount: undefined, items };
      await expectRefusal(create(trade.escrowId, JSON.stringify(tooManyItems)), 'INPUT_TOO_LARGE');
      const pastFundBy = trade.request({ fundBy: new Date(Date.now() - 60_000) });
      await expectRefusal(create(trade.escrowId, JSON.stringify(pastFundBy)), 'INVALID_INPUT');
      await expectRefusal(trade.read(), 'ESCROW_NOT_FOUND');
    });

    it('refuses a dispute with an oversize reason or too many evidence hashes', async () => {
      const shipped = new Trade(pool, CROSS_MARKET, 'refuse-dispute');
      await shipped.create();
      await shipped.fund();
      await shipped.ship();
      const dispute = (reason: string, hashes: string[]) =>
        shipped.step('alice', 'disputeEscrow', [shipped.escrowId, reason, JSON.stringify(hashes)]);
      const hash = sha256Hex('evidence');
      await expectRefusal(dispute('r'.repeat(201), [hash]), 'INPUT_TOO_LARGE', shipped);
      await expectRefusal(dispute('broken', new Array<string>(21).fill(hash)), 'INPUT_TOO_LARGE', shipped);
      await expectRefusal(dispute('broken', ['NOT-A-HASH']), 'INVALID_INPUT', shipped);
      await expectRefusal(
        shipped.step('alice', 'disputeEscrow', [shipped.escrowId, 'broken', '[']),
        'INVALID_INPUT',
        shipped,
      );
    });
  });

  describe('unknown or existing escrow', () => {
    it('refuses transitions and reads of an escrow that does not exist: ESCROW_NOT_FOUND', async () => {
      const missing = uniqueEscrowId('missing');
      const trade = new Trade(pool, CROSS_MARKET, 'unused');
      await expectRefusal(
        trade.step('marketa-payments', 'fundEscrow', [missing, '12345', 'EUR', 'psp-x']),
        'ESCROW_NOT_FOUND',
      );
      await expectRefusal(trade.step('bea', 'shipEscrow', [missing, 'DHL', 'trk']), 'ESCROW_NOT_FOUND');
      await expectRefusal(
        evaluateEscrow(pool.of('marketa-backend'), 'readEscrow', [missing]),
        'ESCROW_NOT_FOUND',
      );
      await expectRefusal(evaluateEscrow(pool.of('oscar'), 'getHistory', [missing]), 'ESCROW_NOT_FOUND');
    });

    it('refuses creating an escrow id twice: ESCROW_EXISTS', async () => {
      await expectRefusal(
        created.step('marketa-backend', 'createEscrow', [
          created.escrowId,
          JSON.stringify(created.request()),
        ]),
        'ESCROW_EXISTS',
        created,
      );
      await expectUnchanged(created);
    });
  });
});
