// The Fabric adapter of the keeper's ledger port: one gRPC client to Oversight's peer, one Gateway
// for the keeper identity, and the endorsing organizations each escrow's key-level policy needs
// (chaincode/README.md "Endorsement": both parties' orgs, or the org and Oversight when both trade
// on the same marketplace).
import * as grpc from '@grpc/grpc-js';
import { connect, GatewayError, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import { nativeSigning } from '@p2p-escrow/scripts/dist/fabric/nativeSigning';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { FabricConfig } from '../config/offchainConfig';
import { ChaincodeRefusal, type DeadlineLedger, type DueEscrow } from './deadlinePorts';

const TRANSACTIONS = { release: 'releaseEscrow', cancel: 'cancelEscrow' } as const;
const CODE_PATTERN = /(?:^|[\s,:])([A-Z][A-Z_]+[A-Z]): /;

/** MSP ids of the escrow's endorsing orgs; `mspIds` maps organization name → MSP id. */
export function deadlineEndorsers(
  escrow: Pick<DueEscrow, 'buyerMarketplace' | 'sellerMarketplace'>,
  mspIds: Readonly<Record<string, string>>,
  oversight = 'Oversight',
): string[] {
  const orgs =
    escrow.buyerMarketplace === escrow.sellerMarketplace
      ? [escrow.buyerMarketplace, oversight]
      : [escrow.buyerMarketplace, escrow.sellerMarketplace];
  return orgs.map((org) => {
    const mspId = mspIds[org];
    if (mspId === undefined) throw new Error(`no MSP id known for organization ${org}`);
    return mspId;
  });
}

/** The chaincode's stable code in a Fabric error (endorsers' details first), if it gave one. */
export function chaincodeCodeOf(error: unknown): string | undefined {
  const messages = error instanceof GatewayError ? error.details.map((detail) => detail.message) : [];
  messages.push(error instanceof Error ? error.message : String(error));
  for (const message of messages) {
    const code = CODE_PATTERN.exec(message)?.[1];
    if (code !== undefined) return code;
  }
  return undefined;
}

export class FabricDeadlineLedger implements DeadlineLedger {
  private readonly client: grpc.Client;
  private readonly gateway: Gateway;
  private readonly contract: Contract;

  constructor(
    config: FabricConfig,
    private readonly mspIds: Readonly<Record<string, string>>,
  ) {
    const tls = grpc.credentials.createSsl(fs.readFileSync(config.tlsCaPath));
    this.client = new grpc.Client(config.peerEndpoint, tls, {
      'grpc.ssl_target_name_override': config.peerHostAlias,
    });
    this.gateway = connect({
      client: this.client,
      identity: { mspId: config.mspId, credentials: fs.readFileSync(config.certPath) },
      ...nativeSigning(crypto.createPrivateKey(fs.readFileSync(config.keyPath))),
      evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
      endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
      submitOptions: () => ({ deadline: Date.now() + 10_000 }),
      commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
    });
    this.contract = this.gateway.getNetwork(config.channel).getContract(config.chaincode);
  }

  async submit(escrow: DueEscrow): Promise<string> {
    try {
      const proposal = this.contract.newProposal(TRANSACTIONS[escrow.action], {
        arguments: [escrow.escrowId],
        endorsingOrganizations: deadlineEndorsers(escrow, this.mspIds),
      });
      const submitted = await (await proposal.endorse()).submit();
      const status = await submitted.getStatus();
      if (!status.successful)
        throw new Error(`transaction ${status.transactionId} invalidated with code ${String(status.code)}`);
      return status.transactionId;
    } catch (error) {
      const code = chaincodeCodeOf(error);
      if (code !== undefined)
        throw new ChaincodeRefusal(code, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  close(): void {
    this.gateway.close();
    this.client.close();
  }
}
