// The Fabric adapter of the funding ledger: one connection to the marketplace's own peer as its
// payments identity (the key only this service holds). Reads the escrow's full record from the peer
// (a member of the trade's terms collection) and submits `fund` endorsed by the orgs the escrow's
// key-level policy names, its parameters as transient data and its answer sealed, as every client does.
import type { Contract } from '@hyperledger/fabric-gateway';
import {
  amountDue,
  ARGUMENTS_TRANSIENT_KEY,
  escrowEndorsingOrganizations,
  escrowFromBytes,
  mspIdOf,
  newResponseKey,
  parsePartyId,
  partyVerificationEndorsingOrganizations,
  RESPONSE_KEY_TRANSIENT_KEY,
  TRANSACTIONS,
  type Escrow,
  type Refusal,
  type VerificationStatus,
} from '@p2p-escrow/chaincode';
import {
  FabricConnection,
  type LedgerClientConfig,
  signingIdentityFromFiles,
  submitUntilCommitted,
} from '@p2p-escrow/fabric-client';
import { refusalOf } from '../ledger/ledgerRefusal';
import type { VerificationLedger } from '../verification/verificationPorts';
import { LedgerRefusal, type FundingLedger } from './fundingPorts';

/** The payments service reaches the ledger as its marketplace's payments identity. */
export type FundingLedgerConfig = LedgerClientConfig;

/** Refusals that mean "no escrow of this marketplace by that id" to a payments identity. */
const UNKNOWN_TO_CALLER = new Set(['ESCROW_NOT_FOUND', 'FORBIDDEN_ACTOR']);

const encoder = new TextEncoder();

export class FabricFundingLedger implements FundingLedger, VerificationLedger {
  private readonly contract: Contract;

  constructor(
    private readonly connection: FabricConnection,
    config: Pick<FundingLedgerConfig, 'channel' | 'chaincode'>,
  ) {
    this.contract = connection.network(config.channel).getContract(config.chaincode);
  }

  static open(config: FundingLedgerConfig): FabricFundingLedger {
    const signer = signingIdentityFromFiles(config.mspId, config.certPath, config.keyPath);
    return new FabricFundingLedger(new FabricConnection(config.peer, signer), config);
  }

  async readEscrow(escrowId: string): Promise<Escrow | undefined> {
    try {
      return escrowFromBytes(await this.contract.evaluateTransaction(TRANSACTIONS.readEscrow, escrowId));
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal !== undefined && UNKNOWN_TO_CALLER.has(refusal.code)) return undefined;
      throw asLedgerError(error, refusal);
    }
  }

  async fund(escrow: Escrow, paymentId: string): Promise<{ readonly transactionId: string }> {
    const parameters = { amount: amountDue(escrow), currency: escrow.currency, providerRef: paymentId };
    try {
      const proposal = this.contract.newProposal(TRANSACTIONS.fundEscrow, {
        arguments: [escrow.escrowId],
        endorsingOrganizations: escrowEndorsingOrganizations(escrow).map((org) => mspIdOf(org)),
        transientData: {
          [ARGUMENTS_TRANSIENT_KEY]: encoder.encode(JSON.stringify(parameters)),
          // The answer (the full record) comes sealed under a key only this call knows; unread here.
          [RESPONSE_KEY_TRANSIENT_KEY]: newResponseKey(),
        },
      });
      const status = await submitUntilCommitted(await proposal.endorse());
      if (!status.successful)
        throw new Error(`transaction ${status.transactionId} invalidated with code ${String(status.code)}`);
      return { transactionId: status.transactionId };
    } catch (error) {
      throw asLedgerError(error, refusalOf(error));
    }
  }

  /** The same identity attests its marketplace's parties' verifications, with that marketplace and Oversight. */
  async attestVerification(
    partyId: string,
    statusHash: string,
    status: VerificationStatus,
  ): Promise<{ readonly transactionId: string }> {
    const { marketplace } = parsePartyId(partyId);
    try {
      const proposal = this.contract.newProposal(TRANSACTIONS.attestVerification, {
        arguments: [partyId, statusHash, status],
        endorsingOrganizations: partyVerificationEndorsingOrganizations(marketplace).map((org) =>
          mspIdOf(org),
        ),
      });
      const committed = await submitUntilCommitted(await proposal.endorse());
      if (!committed.successful)
        throw new Error(
          `transaction ${committed.transactionId} invalidated with code ${String(committed.code)}`,
        );
      return { transactionId: committed.transactionId };
    } catch (error) {
      throw asLedgerError(error, refusalOf(error));
    }
  }

  close(): void {
    this.connection.close();
  }
}

function asLedgerError(error: unknown, refusal: Refusal | undefined): unknown {
  return refusal === undefined ? error : new LedgerRefusal(refusal.code, refusal.detail);
}
