// The Fabric adapter of the keeper's ledger port: one connection to Oversight's peer as the keeper
// identity, naming for each escrow the endorsing organizations its key-level policy needs (the
// chaincode's escrowEndorsingOrganizations), and reading refusals with the chaincode's one parser.
import {
  ARGUMENTS_TRANSIENT_KEY,
  escrowEndorsingOrganizations,
  isOrganizationName,
  mspIdOf,
  refusalIn,
  TRANSACTIONS,
} from '@p2p-escrow/chaincode';
import {
  FabricConnection,
  fabricErrorTexts,
  signingIdentityFromFiles,
  submitUntilCommitted,
} from '@p2p-escrow/fabric-client';
import type { Contract, ProposalOptions } from '@hyperledger/fabric-gateway';
import type { FabricConfig } from '../config/offchainConfig';
import { ChaincodeRefusal, type DeadlineLedger, type DueEscrow } from './deadlinePorts';

const DEADLINE_TRANSACTIONS = {
  release: TRANSACTIONS.releaseEscrow,
  cancel: TRANSACTIONS.cancelEscrow,
  expire: TRANSACTIONS.expireProposal,
  deliveryOverdue: TRANSACTIONS.expireDelivery,
  releaseItem: TRANSACTIONS.releaseItem,
  expireReturn: TRANSACTIONS.expireReturn,
  expireItemDelivery: TRANSACTIONS.expireItemDelivery,
} as const;

/** MSP ids of the organizations whose peers must endorse a transition of `escrow`. */
export function deadlineEndorsers(
  escrow: Pick<DueEscrow, 'buyerMarketplace' | 'sellerMarketplace'>,
): string[] {
  const organizations = escrowEndorsingOrganizations({
    buyer: { marketplace: escrow.buyerMarketplace },
    seller: { marketplace: escrow.sellerMarketplace },
  });
  return organizations.map((organization) => {
    if (!isOrganizationName(organization)) throw new Error(`${organization} is not an organization name`);
    return mspIdOf(organization);
  });
}

/**
 * The proposal of a due deadline: the escrow id as the one argument, and for an item-level action
 * the item's index in the transient `arguments` the chaincode reads it from.
 */
export function deadlineProposal(escrow: DueEscrow): { transaction: string; options: ProposalOptions } {
  const options: ProposalOptions = {
    arguments: [escrow.escrowId],
    endorsingOrganizations: deadlineEndorsers(escrow),
    ...(escrow.item === undefined
      ? {}
      : { transientData: { [ARGUMENTS_TRANSIENT_KEY]: JSON.stringify({ item: escrow.item }) } }),
  };
  return { transaction: DEADLINE_TRANSACTIONS[escrow.action], options };
}

export class FabricDeadlineLedger implements DeadlineLedger {
  private readonly contract: Contract;

  constructor(
    private readonly connection: FabricConnection,
    config: Pick<FabricConfig, 'channel' | 'chaincode'>,
  ) {
    this.contract = connection.network(config.channel).getContract(config.chaincode);
  }

  /** Connects to the configured peer as the configured identity. */
  static open(config: FabricConfig): FabricDeadlineLedger {
    const signer = signingIdentityFromFiles(config.mspId, config.certPath, config.keyPath);
    return new FabricDeadlineLedger(new FabricConnection(config.peer, signer), config);
  }

  async submit(escrow: DueEscrow): Promise<string> {
    try {
      const { transaction, options } = deadlineProposal(escrow);
      const proposal = this.contract.newProposal(transaction, options);
      const status = await submitUntilCommitted(await proposal.endorse());
      if (!status.successful)
        throw new Error(`transaction ${status.transactionId} invalidated with code ${String(status.code)}`);
      return status.transactionId;
    } catch (error) {
      const refusal = refusalIn(fabricErrorTexts(error));
      if (refusal !== undefined)
        throw new ChaincodeRefusal(refusal.code, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  close(): void {
    this.connection.close();
  }
}
