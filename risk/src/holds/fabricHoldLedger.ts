// The Fabric adapter of the hold port: raiseRiskFlag through fabric-client's connection recipe, as
// Oversight's `risk-service` identity, endorsed by the orgs the escrow's policy names (the
// chaincode's escrowEndorsingOrganizations), its refusals read with the chaincode's one parser.
import type { Contract } from '@hyperledger/fabric-gateway';
import {
  escrowEndorsingOrganizations,
  isOrganizationName,
  mspIdOf,
  refusalIn,
  TRANSACTIONS,
  type ErrorCode,
  type RiskFlagRequest,
} from '@p2p-escrow/chaincode';
import {
  FabricConnection,
  fabricErrorTexts,
  type LedgerClientConfig,
  signingIdentityFromFiles,
  submitUntilCommitted,
} from '@p2p-escrow/fabric-client';
import { HoldRefusedError, type HoldLedger, type HoldRequest, type HoldResult } from './holdLedger';

/** The refusal that means "this flag is already on the escrow": the hold is done. */
const RISK_FLAG_ALREADY_RAISED: ErrorCode = 'RISK_FLAG_ALREADY_RAISED';

/** The risk service reaches the ledger as Oversight's risk identity. */
export type HoldLedgerConfig = LedgerClientConfig;

/** MSP ids of the orgs whose peers must endorse a change of this escrow. */
export function holdEndorsers(
  request: Pick<HoldRequest, 'buyerMarketplace' | 'sellerMarketplace'>,
): string[] {
  return escrowEndorsingOrganizations({
    buyer: { marketplace: request.buyerMarketplace },
    seller: { marketplace: request.sellerMarketplace },
  }).map((organization) => {
    if (!isOrganizationName(organization)) throw new Error(`${organization} is not an organization name`);
    return mspIdOf(organization);
  });
}

/** The flag as raiseRiskFlag reads it. */
export function flagJsonOf(request: HoldRequest): string {
  const flag: RiskFlagRequest = {
    rule: request.rule,
    reasonCode: request.reasonCode,
    severity: request.severity,
    action: 'hold',
  };
  return JSON.stringify(flag);
}

export class FabricHoldLedger implements HoldLedger {
  private readonly contract: Contract;

  constructor(
    private readonly connection: FabricConnection,
    config: Pick<HoldLedgerConfig, 'channel' | 'chaincode'>,
  ) {
    this.contract = connection.network(config.channel).getContract(config.chaincode);
  }

  static open(config: HoldLedgerConfig): FabricHoldLedger {
    const signer = signingIdentityFromFiles(config.mspId, config.certPath, config.keyPath);
    return new FabricHoldLedger(new FabricConnection(config.peer, signer), config);
  }

  async raiseHold(request: HoldRequest): Promise<HoldResult> {
    try {
      const proposal = this.contract.newProposal(TRANSACTIONS.raiseRiskFlag, {
        arguments: [request.escrowId, flagJsonOf(request)],
        endorsingOrganizations: holdEndorsers(request),
      });
      const status = await submitUntilCommitted(await proposal.endorse());
      if (!status.successful)
        throw new Error(`transaction ${status.transactionId} invalidated with code ${String(status.code)}`);
      return { outcome: 'raised', transactionId: status.transactionId };
    } catch (error) {
      const refusal = refusalIn(fabricErrorTexts(error));
      if (refusal?.code === RISK_FLAG_ALREADY_RAISED) return { outcome: 'alreadyRaised' };
      if (refusal !== undefined)
        throw new HoldRefusedError(refusal.code, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  close(): void {
    this.connection.close();
  }
}
