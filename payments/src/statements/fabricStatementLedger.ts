// The statement ledger over Fabric: one marketplace's payments identity (the Contract's gateway signs
// as it) submits to the escrow chaincode with its parameters as transient data, names the endorsing
// orgs the keys' policies need (the statement's pair; the escrow's parties), and opens the sealed
// answers, so no amount is ever written into a block.
import type { Contract } from '@hyperledger/fabric-gateway';
import {
  ARGUMENTS_TRANSIENT_KEY,
  channelSettingsFromBytes,
  escrowEndorsingOrganizations,
  escrowFromBytes,
  mspIdOf,
  newResponseKey,
  openSealedResult,
  RESPONSE_KEY_TRANSIENT_KEY,
  statementEndorsingOrganizations,
  statementFromBytes,
  statementPair,
  TRANSACTIONS,
  type Escrow,
  type StatementRecord,
} from '@p2p-escrow/chaincode';
import type { StatementLedger } from './statementLedger';

const encoder = new TextEncoder();

export class FabricStatementLedger implements StatementLedger {
  constructor(
    readonly marketplace: string,
    private readonly contract: Contract,
  ) {}

  async readStatement(statementId: string): Promise<StatementRecord> {
    return statementFromBytes(
      Buffer.from(await this.contract.evaluateTransaction(TRANSACTIONS.readStatement, statementId)),
    );
  }

  /** Nets the pair's open obligations of an ended period into a statement (either marketplace). */
  async proposeStatement(statementId: string): Promise<StatementRecord> {
    const [, first = '', second = ''] = statementId.split(':');
    const sealed = await this.sealedSubmit(
      TRANSACTIONS.proposeStatement,
      statementId,
      {},
      statementEndorsingOrganizations(...statementPair(first, second)),
    );
    return statementFromBytes(sealed);
  }

  /** The channel's settlement period length, which names the periods statements cover. */
  async settlementPeriodSeconds(): Promise<number> {
    const bytes = await this.contract.evaluateTransaction(TRANSACTIONS.readChannelSettings);
    return channelSettingsFromBytes(bytes).settlementPeriodSeconds;
  }

  async settleStatement(statementId: string, transferRef: string): Promise<StatementRecord> {
    const [, first = '', second = ''] = statementId.split(':');
    const sealed = await this.sealedSubmit(
      TRANSACTIONS.settleStatement,
      statementId,
      { transferRef },
      statementEndorsingOrganizations(...statementPair(first, second)),
    );
    return statementFromBytes(sealed);
  }

  async readEscrow(escrowId: string): Promise<Escrow> {
    return escrowFromBytes(await this.contract.evaluateTransaction(TRANSACTIONS.readEscrow, escrowId));
  }

  async recordSellerPayout(escrow: Escrow, providerRef: string): Promise<Escrow> {
    const sealed = await this.sealedSubmit(
      TRANSACTIONS.recordSettlement,
      escrow.escrowId,
      { payee: 'seller', providerRef },
      escrowEndorsingOrganizations(escrow),
    );
    return escrowFromBytes(Buffer.from(sealed));
  }

  private async sealedSubmit(
    transaction: string,
    argument: string,
    parameters: Record<string, string>,
    organizations: readonly string[],
  ): Promise<string> {
    const responseKey = newResponseKey();
    const result = await this.contract.submit(transaction, {
      arguments: [argument],
      // A transaction without transient parameters (proposeStatement) gets only the response key.
      transientData: {
        ...(Object.keys(parameters).length > 0
          ? { [ARGUMENTS_TRANSIENT_KEY]: encoder.encode(JSON.stringify(parameters)) }
          : {}),
        [RESPONSE_KEY_TRANSIENT_KEY]: responseKey,
      },
      endorsingOrganizations: organizations.map(mspIdOf),
    });
    return openSealedResult(responseKey, result);
  }
}
