import { expect } from 'chai';
import { startsSettlement } from './settlementTrigger';

describe('the events that start a settlement', () => {
  for (const [type, state] of [
    ['Released', 'RELEASED'],
    ['Resolved', 'RESOLVED'],
    ['Cancelled', 'CANCELLED'],
    ['Refunded', 'REFUNDED'],
  ] as const)
    it(`starts one on ${type}`, () => {
      expect(startsSettlement(type, { type, data: { state } })).to.equal(true);
    });

  it('starts one on each transition that may end an item, while the escrow stays open', () => {
    for (const type of [
      'ItemReleased',
      'ItemResolved',
      'ReturnConfirmed',
      'ReturnExpired',
      'ItemOfferAccepted',
      'ItemDeliveryOverdue',
      'RiskFlagCleared',
    ])
      expect(startsSettlement(type, { type, data: { state: 'SHIPPED' } }), type).to.equal(true);
    expect(startsSettlement('ItemShipped', { data: { state: 'SHIPPED' } })).to.equal(false);
  });

  it('starts none on a transition that leaves the escrow open', () => {
    expect(startsSettlement('Shipped', { data: { state: 'SHIPPED' } })).to.equal(false);
  });

  it('starts none on the settlement’s own record, a review or an erasure of a terminal escrow', () => {
    for (const type of ['SettlementRecorded', 'ReviewPosted', 'PrivateDetailsErased'])
      expect(startsSettlement(type, { data: { state: 'RELEASED' } })).to.equal(false);
  });

  it('starts none on a message without a readable state', () => {
    expect(startsSettlement('Released', { data: { state: 'PAID' } })).to.equal(false);
    expect(startsSettlement('Released', {})).to.equal(false);
  });
});
