// How the bench puts an escrow submit into a proposal, as the chaincode takes it: the escrow id is
// the only argument (arguments are written into every block), the parameters travel as the
// transient `arguments`, and a create brings a fresh terms salt. No response key: the bench never
// reads what a submit answers, so the chaincode answers with the public record.
import {
  ARGUMENTS_TRANSIENT_KEY,
  newTermsSalt,
  TERMS_SALT_TRANSIENT_KEY,
  TRANSACTIONS,
} from '@p2p-escrow/chaincode';

export interface EscrowProposal {
  readonly transaction: string;
  readonly arguments: readonly string[];
  readonly transientData: Readonly<Record<string, string>>;
}

export function escrowProposal(
  transaction: string,
  escrowId: string,
  parameters?: Readonly<Record<string, unknown>>,
): EscrowProposal {
  return {
    transaction,
    arguments: [escrowId],
    transientData: parameters === undefined ? {} : { [ARGUMENTS_TRANSIENT_KEY]: JSON.stringify(parameters) },
  };
}

export function createProposal(escrowId: string, request: Readonly<Record<string, unknown>>): EscrowProposal {
  const proposal = escrowProposal(TRANSACTIONS.createEscrow, escrowId, request);
  return {
    ...proposal,
    transientData: { ...proposal.transientData, [TERMS_SALT_TRANSIENT_KEY]: newTermsSalt() },
  };
}

/** fabric-gateway's transientData: the same entries as bytes. */
export function transientBytes(proposal: EscrowProposal): Record<string, Uint8Array> {
  return Object.fromEntries(
    Object.entries(proposal.transientData).map(([key, value]) => [key, Buffer.from(value, 'utf8')]),
  );
}
