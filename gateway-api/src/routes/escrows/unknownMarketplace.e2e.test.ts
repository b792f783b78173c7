// A create naming a marketplace that is no member of the channel (well formed, never registered): its
// endorsement was planned on an org no peer serves and the gateway answered 503 LEDGER_UNAVAILABLE, as
// if the ledger were down (found by the API fuzzing run). The chaincode's own refusal is INVALID_INPUT.
import { as, createRequest, uniqueEscrowId } from '@p2p-escrow/testkit';
import { expect } from 'chai';

describe('gateway e2e: a create naming a marketplace the channel does not know', function () {
  this.timeout(120_000);

  it('is refused 400 INVALID_INPUT, not 503', async () => {
    const escrowId = uniqueEscrowId('unknown-marketplace', 'e2e');
    const seller = { marketplace: 'MarketZ', userId: 'zoe' };
    const response = await as('marketa-backend', 'POST', '/v1/escrows', createRequest(escrowId, { seller }));
    expect(response.status, JSON.stringify(response.body)).to.equal(400);
    expect(response.body).to.include({ code: 'INVALID_INPUT' });
    expect(String(response.body['detail'])).to.contain('seller.marketplace is not a known marketplace');
  });
});
