// The workload modules Caliper's workers load, one per round, as JavaScript source: they run in
// Caliper's own install (bench/.caliper), which has none of the repository's packages. A create
// sends what the chaincode takes: the escrow id as its only argument, the request and a fresh terms
// salt as transient data (Caliper's `transientMap`), no response key (the result is not read).
import { ARGUMENTS_TRANSIENT_KEY, TERMS_SALT_TRANSIENT_KEY } from '@p2p-escrow/chaincode';

const workload = (body: string) => `'use strict';
const { WorkloadModuleBase } = require('@hyperledger/caliper-core');
class Workload extends WorkloadModuleBase {
  async submitTransaction() {
    this.n = (this.n || 0) + 1;
    const id = 'caliper-' + this.workerIndex + '-' + Date.now().toString(36) + '-' + this.n;
    ${body}
  }
}
module.exports.createWorkloadModule = () => new Workload();
`;

const PUT_MARKER = `await this.sutAdapter.sendRequests({ contractId: 'escrow', contractFunction: 'putMarker',
      contractArguments: [id, 'x'], invokerIdentity: 'marketa-backend', readOnly: false });`;

const CREATE_ESCROW = `const now = Date.now();
    const request = { buyer: { marketplace: 'MarketA', userId: 'alice' }, seller: { marketplace: 'MarketB', userId: 'bea' },
      currency: 'EUR', amount: '12345', feeBps: 250,
      items: [{ description: 'Camera', price: '12000' }, { description: 'Strap', price: '345' }],
      fundBy: new Date(now + 86400000).toISOString(), shipBy: new Date(now + 7 * 86400000).toISOString(),
      inspectionPeriodSeconds: 3600 };
    const transientMap = { ${JSON.stringify(ARGUMENTS_TRANSIENT_KEY)}: JSON.stringify(request),
      ${JSON.stringify(TERMS_SALT_TRANSIENT_KEY)}: require('crypto').randomBytes(16).toString('hex') };
    await this.sutAdapter.sendRequests({ contractId: 'escrow', contractFunction: 'createEscrow',
      contractArguments: [id], transientMap, invokerIdentity: 'marketa-backend', readOnly: false });`;

/** Each round's workload module, by the round's label. */
export const CALIPER_WORKLOADS = {
  putMarker: workload(PUT_MARKER),
  createEscrow: workload(CREATE_ESCROW),
} as const;
