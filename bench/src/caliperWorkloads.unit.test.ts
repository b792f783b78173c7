import { expect } from 'chai';
import {
  ARGUMENTS_TRANSIENT_KEY,
  RESPONSE_KEY_TRANSIENT_KEY,
  TERMS_SALT_TRANSIENT_KEY,
} from '@p2p-escrow/chaincode';
import * as crypto from 'node:crypto';
import * as vm from 'node:vm';
import { CALIPER_WORKLOADS } from './caliperWorkloads';

interface SentRequest {
  contractFunction: string;
  contractArguments: string[];
  transientMap?: Record<string, string>;
}

/** Runs a generated workload module once, as Caliper's worker would, and returns what it sent. */
async function sentBy(source: string): Promise<SentRequest> {
  const sent: SentRequest[] = [];
  const module = { exports: {} as { createWorkloadModule?: () => unknown } };
  // Caliper's base class sets workerIndex and sutAdapter in its initializeWorkloadModule.
  const caliperCore = {
    WorkloadModuleBase: class {
      workerIndex = 0;
    },
  };
  const requireIn = (name: string): unknown => (name === 'crypto' ? crypto : caliperCore);
  vm.runInNewContext(source, { require: requireIn, module, Date });
  const workload = module.exports.createWorkloadModule?.() as {
    sutAdapter: { sendRequests(request: SentRequest): Promise<void> };
    submitTransaction(): Promise<void>;
  };
  workload.sutAdapter = {
    sendRequests: (request) => {
      sent.push(request);
      return Promise.resolve();
    },
  };
  await workload.submitTransaction();
  expect(sent).to.have.length(1);
  return sent[0] as SentRequest;
}

describe('Caliper workloads', () => {
  it('send a create with the escrow id as its only argument, its request and salt as transient data', async () => {
    const request = await sentBy(CALIPER_WORKLOADS.createEscrow);
    expect(request.contractFunction).to.equal('createEscrow');
    expect(request.contractArguments).to.have.length(1);
    const transient = request.transientMap ?? {};
    const body = JSON.parse(transient[ARGUMENTS_TRANSIENT_KEY] ?? 'null') as Record<string, unknown>;
    expect(body).to.include.keys('buyer', 'seller', 'items', 'amount', 'fundBy', 'shipBy');
    expect(transient[TERMS_SALT_TRANSIENT_KEY]).to.match(/^[0-9a-f]{32,128}$/);
    expect(transient).to.not.have.property(RESPONSE_KEY_TRANSIENT_KEY);
  });

  it('send putMarker as before: a name and a value', async () => {
    const request = await sentBy(CALIPER_WORKLOADS.putMarker);
    expect(request.contractFunction).to.equal('putMarker');
    expect(request.contractArguments).to.have.length(2);
    expect(request.transientMap).to.equal(undefined);
  });
});
