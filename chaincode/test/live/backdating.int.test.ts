// Time is the transaction timestamp, and an endorser only trusts it near its own clock, so a gateway
// cannot backdate funding past fund-by or postdate a release past the inspection window; within the
// skew, a deadline must have passed on the endorser's own clock too. Beyond it two layers refuse: the
// Fabric 3 peer itself rejects a proposal outside peer.authentication.timewindow (15 min) before any
// chaincode runs, and the chaincode refuses anything beyond its own skew (5 min) with CLOCK_SKEW.
// No refusal writes anything.
import { EndorseError } from '@hyperledger/fabric-gateway';
import { expect } from 'chai';
import {
  isOnLedger,
  refusalOf,
  CROSS_MARKET,
  type EscrowView,
  Trade,
  OfflineSigner,
  fabricSuite,
  proposalOptionsOf,
} from '@p2p-escrow/testkit';
import { expectRefusal, expectUnchanged } from './assertions';

const TWO_HOURS_MS = 2 * 3600 * 1000;
// Beyond the chaincode's 5 minutes, within the peer's 15: the chaincode's own check decides.
const TEN_MINUTES_MS = 10 * 60 * 1000;

/** Both endorsing peers refused the proposal's timestamp themselves, before invoking the chaincode. */
async function expectPeerTimestampRefusal(attempt: Promise<unknown>): Promise<void> {
  const { error } = await refusalOf(attempt);
  expect(error).to.be.instanceOf(EndorseError);
  const details = (error as EndorseError).details;
  expect(details.map((detail) => detail.mspId).sort()).to.deep.equal(['MarketAMSP', 'MarketBMSP']);
  for (const detail of details) {
    expect(detail.message).to.match(/request unauthorized due to incorrect timestamp .*timewindow 15m/);
  }
}

describe('backdated and postdated proposals on the live network', function () {
  this.timeout(180_000);
  const pool = fabricSuite();
  const signers: OfflineSigner[] = [];

  function offline(identityId: string): OfflineSigner {
    const signer = new OfflineSigner(identityId);
    signers.push(signer);
    return signer;
  }

  after(() => {
    signers.forEach((signer) => {
      signer.close();
    });
  });

  it('refuses funding stamped 2 hours in the past at the peer, before the chaincode runs', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'backdated-2h');
    await trade.create();
    const backdated = await offline('marketa-payments').propose(
      'fundEscrow',
      proposalOptionsOf('fundEscrow', [trade.escrowId, trade.amount, trade.currency, 'psp-backdated'], {
        endorsingOrganizations: trade.endorsers,
      }),
      -TWO_HOURS_MS,
    );
    expect(Date.now() - backdated.timestampMs).to.be.within(TWO_HOURS_MS, TWO_HOURS_MS + 60_000);

    await expectPeerTimestampRefusal(backdated.submit());
    await expectUnchanged(trade);
    expect(await isOnLedger(pool.onPeer('MarketA'), backdated.transactionId)).to.equal(false);
  });

  it('refuses funding stamped 10 minutes in the past with CLOCK_SKEW and commits nothing', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'backdated-10m');
    await trade.create();
    const backdated = await offline('marketa-payments').propose(
      'fundEscrow',
      proposalOptionsOf('fundEscrow', [trade.escrowId, trade.amount, trade.currency, 'psp-backdated'], {
        endorsingOrganizations: trade.endorsers,
      }),
      -TEN_MINUTES_MS,
    );
    const refusal = await expectRefusal(backdated.submit(), 'CLOCK_SKEW', trade);
    expect((refusal.error as EndorseError).transactionId).to.equal(backdated.transactionId);
    expect(refusal.message).to.match(/CLOCK_SKEW: transaction timestamp is 60\ds from the endorser clock/);
    expect(await isOnLedger(pool.onPeer('MarketA'), backdated.transactionId)).to.equal(false);
  });

  it('refuses an auto-release stamped past the inspection window: CLOCK_SKEW (10 min) and the peer (2 h)', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'postdated-release');
    await trade.create({ inspectionPeriodSeconds: 300 });
    await trade.fund();
    await trade.ship();
    await trade.confirmDelivery();
    // keeper is no party: only the passing of the 5-minute window would let it release.
    const keeper = offline('keeper');
    const release = (shiftMs: number) =>
      keeper.propose(
        'releaseEscrow',
        { arguments: [trade.escrowId], endorsingOrganizations: trade.endorsers },
        shiftMs,
      );
    const tenMinutesAhead = await release(TEN_MINUTES_MS);
    await expectRefusal(tenMinutesAhead.submit(), 'CLOCK_SKEW', trade);
    const twoHoursAhead = await release(TWO_HOURS_MS);
    await expectPeerTimestampRefusal(twoHoursAhead.submit());
    await expectUnchanged(trade);
    for (const proposal of [tenMinutesAhead, twoHoursAhead]) {
      expect(await isOnLedger(pool.onPeer('MarketA'), proposal.transactionId)).to.equal(false);
    }
    expect((await trade.read('bea')).state).to.equal('DELIVERED');
  });

  it('refuses an auto-release postdated within the skew past the window while the endorsers’ clocks are in it', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'postdated-in-skew');
    await trade.create({ inspectionPeriodSeconds: 120 });
    await trade.fund();
    await trade.ship();
    const delivered = await trade.confirmDelivery();
    const inspectionEndsAt = Date.parse(delivered.escrow.delivery?.inspectionEndsAt ?? '');
    // Stamped a second past the window's end: about two minutes ahead, well inside the 5-minute skew.
    const shiftMs = inspectionEndsAt + 1_000 - Date.now();
    expect(shiftMs).to.be.within(1_000, 4 * 60 * 1000);
    const release = await offline('keeper').propose(
      'releaseEscrow',
      { arguments: [trade.escrowId], endorsingOrganizations: trade.endorsers },
      shiftMs,
    );
    expect(release.timestampMs).to.be.above(inspectionEndsAt);
    await expectRefusal(release.submit(), 'DEADLINE_NOT_REACHED', trade);
    expect(await isOnLedger(pool.onPeer('MarketA'), release.transactionId)).to.equal(false);
    expect((await trade.read('bea')).state).to.equal('DELIVERED');
  });

  it('accepts the same re-stamped flow within the skew, and the escrow clock is the stamped time', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'restamped-fund');
    await trade.create();
    const proposal = await offline('marketa-payments').propose(
      'fundEscrow',
      proposalOptionsOf('fundEscrow', [trade.escrowId, trade.amount, trade.currency, 'psp-restamped'], {
        endorsingOrganizations: trade.endorsers,
      }),
      -60_000,
    );
    const status = await proposal.submit();
    expect(status.successful, `validation code ${status.code}`).to.equal(true);
    expect(status.transactionId).to.equal(proposal.transactionId);
    await pool.caughtUp(['MarketA', 'MarketB'], status.blockNumber);
    const funded: EscrowView = await trade.read('bea');
    expect(funded.state).to.equal('FUNDED');
    expect(Date.parse(funded.updatedAt)).to.equal(proposal.timestampMs);
    expect(await isOnLedger(pool.onPeer('MarketB'), proposal.transactionId)).to.equal(true);
  });
});
