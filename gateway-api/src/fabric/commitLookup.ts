// Finds what became of a submitted transaction by its id, asking every org's peer at once (the
// caller's own may be the one that went away). With the signed commit-status request of the submit,
// each peer answers as soon as it has the block, within the deadline; without it (the submit call
// itself failed) each peer's ledger is asked once through qscc GetTransactionByID.
import type { Commit, Status } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import type { GatewayCache, LedgerCaller } from './gatewayCache';
import type { LedgerRecord } from './lostCommitStatus';

const VALID = 0;

export class PeerCommitLookup {
  constructor(
    private readonly gateways: GatewayCache,
    private readonly orgNames: readonly string[],
    private readonly channel: string,
    private readonly deadlineMs: number,
  ) {}

  async recordOf(caller: LedgerCaller, transactionId: string, commit?: Commit): Promise<LedgerRecord> {
    const asks = this.orgNames.map((org) =>
      commit === undefined
        ? this.fromLedger({ ...caller, org }, transactionId)
        : this.fromCommitStatus({ ...caller, org }, commit),
    );
    try {
      return await Promise.any(asks);
    } catch {
      // No peer answered within the deadline, or none has the transaction.
      return { kind: 'unknown' };
    }
  }

  private async fromCommitStatus(caller: LedgerCaller, commit: Commit): Promise<LedgerRecord> {
    const status = await this.gateways
      .gatewayFor(caller)
      .newCommit(commit.getBytes())
      .getStatus({ deadline: Date.now() + this.deadlineMs });
    return status.successful
      ? { kind: 'committed', blockNumber: String(status.blockNumber) }
      : { kind: 'invalid', validationCode: status.code };
  }

  private async fromLedger(caller: LedgerCaller, transactionId: string): Promise<LedgerRecord> {
    const qscc = this.gateways.gatewayFor(caller).getNetwork(this.channel).getContract('qscc');
    const deadline = Date.now() + this.deadlineMs;
    const ask = (name: string) =>
      qscc.newProposal(name, { arguments: [this.channel, transactionId] }).evaluate({ deadline });
    const code = peer.ProcessedTransaction.deserializeBinary(
      await ask('GetTransactionByID'),
    ).getValidationcode();
    // The ledger's TxValidationCode is the enum fabric-gateway's status codes mirror.
    if (code !== VALID) return { kind: 'invalid', validationCode: code as Status['code'] };
    const block = common.Block.deserializeBinary(await ask('GetBlockByTxID'));
    return { kind: 'committed', blockNumber: String(block.getHeader()?.getNumber() ?? '') };
  }
}
