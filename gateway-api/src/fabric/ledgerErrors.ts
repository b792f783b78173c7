// The one place where Fabric failures become gateway errors: fabric-gateway's EndorseError,
// SubmitError, CommitStatusError and CommitError, gRPC status codes, and the chaincode's own
// `CODE: detail` refusals (found by the chaincode's parser, mapped one-to-one to HTTP statuses).
import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { refusalIn, type ErrorCode } from '@p2p-escrow/chaincode';
import { ApiError } from '../errors/apiError';

/** HTTP status of every code the escrow chaincode can refuse with; typed so a new code cannot be missed. */
export const CHAINCODE_CODE_STATUS: Readonly<Record<ErrorCode, number>> = {
  ESCROW_NOT_FOUND: 404,
  ESCROW_EXISTS: 409,
  INVALID_STATE: 409,
  FORBIDDEN_ACTOR: 403,
  INVALID_IDENTITY: 403,
  DEADLINE_PASSED: 422,
  DEADLINE_NOT_REACHED: 422,
  INVALID_INPUT: 400,
  INPUT_TOO_LARGE: 413,
  INVALID_TEXT: 400,
  INVARIANT_VIOLATION: 422,
  CLOCK_SKEW: 425,
  ALREADY_SETTLED: 409,
  ALREADY_REVIEWED: 409,
  NOT_ACCEPTED: 409,
  PRIVATE_DETAILS_NOT_FOUND: 404,
  RESPONSE_KEY_REQUIRED: 400,
  TERMS_UNAVAILABLE: 503,
  CORRUPT_STATE: 500,
  MARKETPLACES_NOT_REGISTERED: 409,
  MARKETPLACE_EXISTS: 409,
  MARKETPLACE_NOT_FOUND: 404,
  MARKETPLACE_SUSPENDED: 403,
  COLLECTION_NOT_DEFINED: 409,
  NETTING_OBLIGATION_INVALID: 422,
  NETTING_DUPLICATE_ESCROW: 422,
  NETTING_MIXED_CURRENCIES: 422,
  NO_OBLIGATIONS: 409,
  PERIOD_OPEN: 409,
  STATEMENT_EXISTS: 409,
  STATEMENT_NOT_FOUND: 404,
  STATEMENT_OVERLAP: 409,
  STATEMENT_NOT_SETTLED: 409,
  OBLIGATION_NETTED: 409,
  DEADLINE_NOT_EXTENDED: 422,
  OFFER_NOT_FOUND: 409,
  OFFER_LIMIT_REACHED: 409,
  ITEM_NOT_FOUND: 404,
  RISK_FLAG_ALREADY_RAISED: 409,
  RISK_FLAG_NOT_FOUND: 404,
  RISK_FLAG_LIMIT_REACHED: 409,
  ESCROW_HELD: 409,
};

/** A failure that came from the ledger; `retryable` says whether submitting again may succeed. */
export class LedgerError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly retryable: boolean,
    readonly transactionId?: string,
  ) {
    super(status, code, message, transactionId === undefined ? {} : { transactionId });
    this.name = 'LedgerError';
  }
}

/** The chaincode refused the proposal with one of its stable codes. */
export class ChaincodeRefusalError extends LedgerError {
  constructor(
    readonly chaincodeCode: ErrorCode,
    message: string,
    transactionId?: string,
  ) {
    super(CHAINCODE_CODE_STATUS[chaincodeCode], chaincodeCode, message, false, transactionId);
    this.name = 'ChaincodeRefusalError';
  }
}

interface DetailLike {
  message?: string;
}

function texts(error: GatewayError): string[] {
  const details = (error.details as DetailLike[] | undefined) ?? [];
  const cause = error.cause as { message?: unknown; details?: unknown } | undefined;
  const causeTexts = [cause?.message, cause?.details].filter(
    (text): text is string => typeof text === 'string',
  );
  return [error.message, ...causeTexts, ...details.map((detail) => detail.message ?? '')];
}

const retryableGrpcCodes = new Set<number>([GrpcStatus.UNAVAILABLE]);

/**
 * The peers' own words for an endorser that could not be reached: its chaincode server down ("could
 * not launch chaincode … connection refused") or the endorsing peer itself down ("rpc error: code =
 * Unavailable"). The endorsement wrote nothing, so it is as retryable as an unavailable peer.
 */
const UNREACHABLE_ENDORSER = [
  /could not launch chaincode/,
  /code = Unavailable/,
  /connect: connection refused/,
];
const deadlineExceeded: number = GrpcStatus.DEADLINE_EXCEEDED;
/** fabric's gateway, when two endorsers' proposal responses are not byte for byte the same. */
const PAYLOADS_DIFFER = 'ProposalResponsePayloads do not match';

/** Maps anything thrown by fabric-gateway calls. Non-Fabric errors are returned unchanged. */
export function mapLedgerError(error: unknown): unknown {
  if (error instanceof LedgerError) return error;
  if (error instanceof CommitError) {
    const validation = validationCodeName(error.code);
    if (validation === 'MVCC_READ_CONFLICT' || validation === 'PHANTOM_READ_CONFLICT')
      return new LedgerError(
        409,
        'MVCC_READ_CONFLICT',
        'the transaction conflicted with a concurrent update of the same escrow',
        true,
        error.transactionId,
      );
    // The gateway endorses on the orgs the escrow's key-level policy names, so a policy failure at
    // commit means that policy changed between endorsement and validation: a dispute or its resolution
    // committed earlier in the same block ("validation parameters for key … have been changed"). The
    // transaction wrote nothing; endorsed again, it is judged under the new policy.
    if (validation === 'ENDORSEMENT_POLICY_FAILURE')
      return new LedgerError(
        409,
        'ENDORSEMENT_POLICY_CHANGED',
        "the escrow's endorsement policy changed in a concurrent transaction",
        true,
        error.transactionId,
      );
    return new LedgerError(
      502,
      'TRANSACTION_INVALID',
      `the ledger rejected the transaction at commit: ${validation}`,
      false,
      error.transactionId,
    );
  }
  if (error instanceof GatewayError) {
    const grpcCode: number = error.code;
    const transactionId = (error as GatewayError & { transactionId?: string }).transactionId;
    const refusal = refusalIn(texts(error));
    if (refusal !== undefined) return new ChaincodeRefusalError(refusal.code, refusal.detail, transactionId);
    if (error.name === 'CommitStatusError' && grpcCode === deadlineExceeded)
      return new CommitPendingError(transactionId ?? '');
    if (retryableGrpcCodes.has(grpcCode) || grpcCode === deadlineExceeded)
      return new LedgerError(
        503,
        'LEDGER_UNAVAILABLE',
        `the ledger did not answer (${error.name}: ${GrpcStatus[error.code] ?? error.code})`,
        retryableGrpcCodes.has(error.code),
        transactionId,
      );
    if (texts(error).some((text) => UNREACHABLE_ENDORSER.some((pattern) => pattern.test(text))))
      return new LedgerError(
        503,
        'LEDGER_UNAVAILABLE',
        `an endorsing peer or its chaincode could not be reached (${error.name}: ${GrpcStatus[error.code] ?? error.code})`,
        true,
        transactionId,
      );
    // Two endorsing peers simulated the proposal against different heights: one had committed a
    // concurrent update of the same escrow, the other not yet (each org's peer commits a block in its
    // own time). Nothing was written; endorsed again once they agree, the proposal is judged as usual.
    if (texts(error).some((text) => text.includes(PAYLOADS_DIFFER)))
      return new LedgerError(
        409,
        'ENDORSEMENTS_DIFFER',
        'the endorsing peers answered differently while a concurrent update of the same escrow committed',
        true,
        transactionId,
      );
    if (texts(error).some((text) => text.includes('MVCC_READ_CONFLICT')))
      return new LedgerError(
        409,
        'MVCC_READ_CONFLICT',
        'the transaction conflicted with a concurrent update',
        true,
        transactionId,
      );
    return new LedgerError(
      502,
      'LEDGER_ERROR',
      `the ledger refused the request (${error.name}: ${GrpcStatus[error.code] ?? error.code})`,
      false,
      transactionId,
    );
  }
  return error;
}

/** The commit outlasted its deadline; the transaction may still commit. Routes answer 202. */
export class CommitPendingError extends LedgerError {
  constructor(transactionId: string) {
    super(
      202,
      'COMMIT_PENDING',
      'the transaction was submitted; its commit is not yet known',
      false,
      transactionId,
    );
    this.name = 'CommitPendingError';
  }
}

const validationCodeNames = new Map<number, string>(
  Object.entries(StatusCode).map(([name, code]) => [code as number, name]),
);

/** Fabric's TxValidationCode name of a commit status code. */
export function validationCodeName(code: number): string {
  return validationCodeNames.get(code) ?? `VALIDATION_CODE_${code}`;
}
