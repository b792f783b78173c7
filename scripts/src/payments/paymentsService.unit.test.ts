import { expect } from 'chai';
import { portPlan } from '../env/portPlan';
import { systemServices } from '../services';
import {
  paymentsIdentityMspDir,
  paymentsOrgs,
  paymentsServiceName,
  paymentsServiceUrl,
} from './paymentsService';

describe("the marketplaces' payments services", () => {
  it('runs one per marketplace, none for Oversight, each on its own loopback HTTPS port', () => {
    expect(paymentsOrgs).to.deep.equal(['MarketA', 'MarketB']);
    const daemons = systemServices().filter((spec) => spec.name.startsWith('payments-'));
    expect(daemons.map((spec) => spec.name)).to.deep.equal(paymentsOrgs.map(paymentsServiceName));
    const ports = daemons.flatMap((spec) => (spec.kind === 'daemon' ? spec.ports : []));
    expect(ports).to.deep.equal(paymentsOrgs.map((org) => portPlan.payments[org]?.https));
    expect(new Set(ports).size).to.equal(2);
    for (const org of paymentsOrgs)
      expect(paymentsServiceUrl(org)).to.equal(`https://127.0.0.1:${String(portPlan.payments[org]?.https)}`);
  });

  it("waits for the network, its payments schema and the provider, and signs as its own marketplace's payments identity", () => {
    const daemon = systemServices().find((spec) => spec.name === 'payments-marketb');
    // The schema holds its parties' identity verifications (the payout gate's records).
    expect(daemon?.dependsOn).to.deep.equal(['network-ready', 'database-migrate', 'stripe-mock']);
    expect(paymentsIdentityMspDir('MarketB')).to.match(/orgs\/marketb\/users\/marketb-payments\/msp$/);
  });
});
