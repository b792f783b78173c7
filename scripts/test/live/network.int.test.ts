// Proves the network is real: cross-org visibility, endorsement policy enforcement at validation,
// surviving the loss of an orderer and a chaincode server restart, and every node's health endpoint.
import { CommitError, type Gateway } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import {
  ARGUMENTS_TRANSIENT_KEY,
  escrowEndorsingOrganizations,
  escrowFromBytes,
  mspIdOf,
  newTermsSalt,
  TERMS_SALT_TRANSIENT_KEY,
  TRANSACTIONS,
} from '@p2p-escrow/chaincode';
import {
  createRequest,
  fabricDaemonNames,
  localFetch,
  openGateway,
  ordererHeight,
  requireFabricNetwork,
  waitForBlock,
  type GatewaySession,
} from '@p2p-escrow/testkit';
import {
  chaincodeName,
  channelName,
  fabricBinDir,
  fabricCaBinDir,
  ordererOrg,
  raftLeader,
  waitUntil,
  type Runner,
} from '@p2p-escrow/scripts';

const decoder = new TextDecoder();

function escrowContract(gateway: Gateway) {
  return gateway.getNetwork(channelName).getContract(chaincodeName);
}

const CROSS_MARKET_PARTIES = { buyer: { marketplace: 'MarketA' }, seller: { marketplace: 'MarketB' } };

function uniqueId(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(6).toString('hex')}`;
}

describe('live Fabric network', function () {
  this.timeout(180_000);
  let runner: Runner;
  let marketA: GatewaySession;
  let marketB: GatewaySession;

  before(async () => {
    runner = await requireFabricNetwork();
    marketA = openGateway('MarketA', 'marketa-backend');
    marketB = openGateway('MarketB', 'marketb-backend');
  });

  after(() => {
    marketA.close();
    marketB.close();
  });

  it('shows a transaction submitted through MarketA’s peer on MarketB’s peer', async () => {
    const escrowId = uniqueId('cross-org');
    const request = createRequest('', { amount: '12345' });
    delete request['escrowId'];
    // The escrow id is the only argument; the terms travel as transient data, endorsed by the
    // parties' orgs (the members of the terms collection MarketB's peer then reads from).
    const submitted = await escrowContract(marketA.gateway).submitAsync(TRANSACTIONS.createEscrow, {
      arguments: [escrowId],
      transientData: {
        [ARGUMENTS_TRANSIENT_KEY]: JSON.stringify(request),
        [TERMS_SALT_TRANSIENT_KEY]: newTermsSalt(),
      },
      endorsingOrganizations: escrowEndorsingOrganizations(CROSS_MARKET_PARTIES).map((org) => mspIdOf(org)),
    });
    const status = await submitted.getStatus();
    expect(status.successful, `validation code ${status.code}`).to.equal(true);

    await waitForBlock(marketB.gateway, status.blockNumber);
    const escrow = escrowFromBytes(
      await escrowContract(marketB.gateway).evaluateTransaction(TRANSACTIONS.readEscrow, escrowId),
    );
    expect(escrow.escrowId).to.equal(escrowId);
    expect(escrow.seller).to.deep.equal({ marketplace: 'MarketB', userId: 'bea' });
  });

  it('invalidates a transaction endorsed by one org only (ENDORSEMENT_POLICY_FAILURE)', async () => {
    const marker = uniqueId('one-org');
    const attempt = escrowContract(marketA.gateway).submit('putMarker', {
      arguments: [marker, 'endorsed by MarketA alone'],
      endorsingOrganizations: ['MarketAMSP'],
    });
    const error = await attempt.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(CommitError);
    expect((error as CommitError).code).to.equal(peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
  });

  it('keeps committing with the Raft leader killed, and the restarted orderer catches up', async () => {
    const leader = (await raftLeader()) ?? ordererOrg.nodes[0] ?? 'orderer1';
    await runner.kill(leader);
    expect(runner.isUp(leader)).to.equal(false);
    try {
      // The survivors elect a new leader (Raft election timeout), then take transactions again.
      const elected = await waitUntil(async () => ((await raftLeader()) ?? leader) !== leader, 30_000);
      expect(elected, 'a surviving orderer was elected leader').to.equal(true);
      for (let i = 0; i < 3; i++) {
        await escrowContract(marketA.gateway).submitTransaction(
          'putMarker',
          uniqueId('orderer-loss'),
          String(i),
        );
      }
    } finally {
      await runner.start([leader]);
    }
    const survivors = ordererOrg.nodes.filter((node) => node !== leader);
    const target = Math.max(...(await Promise.all(survivors.map(ordererHeight))));
    const deadline = Date.now() + 60_000;
    let height = await ordererHeight(leader);
    while (height < target && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      height = await ordererHeight(leader);
    }
    expect(height).to.be.at.least(target);
  });

  it('answers /healthz with OK on every Fabric node and CA and serves Prometheus metrics', async () => {
    const fabricNodes = runner
      .daemons()
      .filter(
        (daemon) => daemon.command.startsWith(fabricBinDir) || daemon.command.startsWith(fabricCaBinDir),
      );
    expect(fabricNodes.map((daemon) => daemon.name)).to.have.members(
      fabricDaemonNames().filter((name) => !name.startsWith('chaincode-')),
    );
    for (const daemon of fabricNodes) {
      if (daemon.health.kind !== 'http') throw new Error(`${daemon.name} has no HTTP health check`);
      const asRunner =
        daemon.health.clientIdentity === undefined ? {} : { clientIdentity: daemon.health.clientIdentity };
      const response = await localFetch(daemon.health.url, asRunner);
      expect(response.status, daemon.name).to.equal(200);
      const body = (await response.json()) as { status: string };
      expect(body.status, daemon.name).to.equal('OK');
      const metrics = await localFetch(daemon.health.url.replace('/healthz', '/metrics'), asRunner);
      expect(metrics.status, `${daemon.name} /metrics`).to.equal(200);
      expect(await metrics.text(), `${daemon.name} /metrics`).to.match(/^# HELP /m);
    }
  });

  it('survives a chaincode server restart: the next transaction through that org succeeds', async () => {
    await runner.stop(['chaincode-marketa']);
    await runner.start(['chaincode-marketa']);
    const marker = uniqueId('after-restart');
    const result = await escrowContract(marketA.gateway).submit('putMarker', {
      arguments: [marker, 'after restart'],
      endorsingOrganizations: ['MarketAMSP', 'MarketBMSP'],
    });
    expect(decoder.decode(result)).to.contain(marker);
  });
});
