import { expect } from 'chai';
import { portPlan, portsOf } from '../env/portPlan';
import { peerOrgs } from './topology';
import { ordererDaemon, peerDaemon } from './fabricNodes';

describe('Fabric node health', () => {
  it("waits for each orderer's admin endpoint, which the channel join uses, besides its operations endpoint", () => {
    for (const node of Object.keys(portPlan.orderer)) {
      const ports = portsOf(portPlan.orderer, node);
      const listening = (ordererDaemon(node, []).listeners ?? []).map((listener) => listener.port);
      expect(listening, node).to.include.members([ports.admin, ports.listen]);
    }
  });

  it("waits for each peer's own endpoint, which the channel join and every client use", () => {
    for (const org of peerOrgs) {
      const listening = (peerDaemon(org, []).listeners ?? []).map((listener) => listener.port);
      expect(listening, org.name).to.include(portsOf(portPlan.peer, org.name).listen);
    }
  });
});
