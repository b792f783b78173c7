import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import {
  CommitError,
  CommitStatusError,
  EndorseError,
  GatewayError,
  StatusCode,
} from '@hyperledger/fabric-gateway';
import { ERROR_CODES } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import {
  CHAINCODE_CODE_STATUS,
  ChaincodeRefusalError,
  CommitPendingError,
  LedgerError,
  mapLedgerError,
} from './ledgerErrors';

function cause(code: GrpcStatus, details: string): ServiceError {
  return Object.assign(new Error(`${String(code)} ${details}`), { code, details, metadata: new Metadata() });
}

function endorseError(peerMessage: string): EndorseError {
  return new EndorseError({
    code: GrpcStatus.ABORTED,
    details: [{ address: 'localhost:7051', mspId: 'MarketAMSP', message: peerMessage }],
    cause: cause(GrpcStatus.ABORTED, 'failed to endorse transaction, see attached details for more info'),
    transactionId: 'tx-1',
    message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
  });
}

describe('Fabric error mapping', () => {
  it('finds the chaincode code in a peer message, with the detail up to the end of its line', () => {
    const mapped = mapLedgerError(
      endorseError('chaincode response 500, FORBIDDEN_ACTOR: buyer alice@MarketA is not a payments identity'),
    ) as ChaincodeRefusalError;
    expect([mapped.code, mapped.message]).to.deep.equal([
      'FORBIDDEN_ACTOR',
      'buyer alice@MarketA is not a payments identity',
    ]);
    const bare = mapLedgerError(
      endorseError('ESCROW_NOT_FOUND: escrow x does not exist\nstack'),
    ) as LedgerError;
    expect([bare.code, bare.message]).to.deep.equal(['ESCROW_NOT_FOUND', 'escrow x does not exist']);
    for (const text of ['NOT_A_CODE_WE_KNOW: whatever', 'no code here']) {
      const unknown = mapLedgerError(endorseError(text)) as LedgerError;
      expect(unknown).not.to.be.instanceOf(ChaincodeRefusalError);
      expect(unknown.code).to.equal('LEDGER_ERROR');
    }
  });

  it('has an HTTP status for exactly the codes the chaincode refuses with', () => {
    expect(Object.keys(CHAINCODE_CODE_STATUS)).to.have.members([...ERROR_CODES]);
  });

  it('maps every chaincode code of an endorsement refusal to its own 4xx status, keeping the tx id', () => {
    for (const [code, status] of Object.entries(CHAINCODE_CODE_STATUS)) {
      const mapped = mapLedgerError(endorseError(`chaincode response 500, ${code}: refused`));
      expect(mapped).to.be.instanceOf(ChaincodeRefusalError);
      const refusal = mapped as ChaincodeRefusalError;
      expect(refusal.code).to.equal(code);
      expect(refusal.status).to.equal(status);
      expect(refusal.retryable).to.equal(false);
      expect(refusal.transactionId).to.equal('tx-1');
      // Two codes are the ledger's fault, not the caller's: a malformed record, and terms the
      // endorsing peer does not hold.
      if (code !== 'CORRUPT_STATE' && code !== 'TERMS_UNAVAILABLE') expect(status).to.be.within(400, 499);
    }
  });

  it('maps an evaluate refusal (code in the message) the same way', () => {
    const error = new GatewayError({
      code: GrpcStatus.UNKNOWN,
      details: [],
      cause: cause(
        GrpcStatus.UNKNOWN,
        'evaluate call to endorser returned error: chaincode response 500, ESCROW_NOT_FOUND: escrow e-1 does not exist',
      ),
    });
    const mapped = mapLedgerError(error) as LedgerError;
    expect(mapped.code).to.equal('ESCROW_NOT_FOUND');
    expect(mapped.status).to.equal(404);
  });

  it('marks an MVCC read conflict or a policy changed within the block as retryable, other invalid commits as not', () => {
    const conflict = mapLedgerError(
      new CommitError({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 'tx-2', message: 'invalid' }),
    ) as LedgerError;
    expect([conflict.code, conflict.status, conflict.retryable, conflict.transactionId]).to.deep.equal([
      'MVCC_READ_CONFLICT',
      409,
      true,
      'tx-2',
    ]);
    const policy = mapLedgerError(
      new CommitError({
        code: StatusCode.ENDORSEMENT_POLICY_FAILURE,
        transactionId: 'tx-3',
        message: 'invalid',
      }),
    ) as LedgerError;
    // The endorsers came from the escrow's policy: failing it at commit means a transaction earlier in
    // the block changed that policy (a dispute), so endorsing again is the answer, as for MVCC.
    expect([policy.code, policy.status, policy.retryable]).to.deep.equal([
      'ENDORSEMENT_POLICY_CHANGED',
      409,
      true,
    ]);
    const duplicate = mapLedgerError(
      new CommitError({ code: StatusCode.DUPLICATE_TXID, transactionId: 'tx-4', message: 'invalid' }),
    ) as LedgerError;
    expect([duplicate.code, duplicate.status, duplicate.retryable]).to.deep.equal([
      'TRANSACTION_INVALID',
      502,
      false,
    ]);
    expect(duplicate.message).to.contain('DUPLICATE_TXID');
  });

  it('retries an endorsement whose peers answered differently (one had not yet committed a concurrent update)', () => {
    const differ = new EndorseError({
      code: GrpcStatus.ABORTED,
      details: [
        {
          address: 'localhost:9051',
          mspId: 'OversightMSP',
          message: 'ProposalResponsePayloads do not match',
        },
      ],
      cause: cause(
        GrpcStatus.ABORTED,
        'failed to collect enough transaction endorsements, see attached details for more info',
      ),
      transactionId: 'tx-5',
      message:
        '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info',
    });
    const mapped = mapLedgerError(differ) as LedgerError;
    expect([mapped.code, mapped.status, mapped.retryable, mapped.transactionId]).to.deep.equal([
      'ENDORSEMENTS_DIFFER',
      409,
      true,
      'tx-5',
    ]);
  });

  it('retries an unavailable peer or orderer', () => {
    const unavailable = new GatewayError({
      code: GrpcStatus.UNAVAILABLE,
      details: [],
      cause: cause(GrpcStatus.UNAVAILABLE, 'No connection established'),
      message: '14 UNAVAILABLE: No connection established',
    });
    const mapped = mapLedgerError(unavailable) as LedgerError;
    expect([mapped.code, mapped.status, mapped.retryable]).to.deep.equal(['LEDGER_UNAVAILABLE', 503, true]);
  });

  it("retries an endorsement whose peer or chaincode server could not be reached, in the peers' own words", () => {
    for (const peerMessage of [
      // MarketA's chaincode server killed: its peer cannot run the proposal.
      'error in simulation: failed to execute transaction 445be4d3: could not launch chaincode escrow_889278aaeefb:452eb055: connection to escrow_889278aaeefb:452eb055 failed: error cannot create connection for escrow_889278aaeefb:452eb055: error creating grpc connection to 127.0.0.1:7999: connection error: desc = "transport: error while dialing: dial tcp 127.0.0.1:7999: connect: connection refused"',
      // MarketB's peer killed: the gateway's peer cannot reach the other endorser.
      'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:8051: connect: connection refused"',
    ]) {
      const mapped = mapLedgerError(endorseError(peerMessage)) as LedgerError;
      expect([mapped.code, mapped.status, mapped.retryable, mapped.transactionId]).to.deep.equal([
        'LEDGER_UNAVAILABLE',
        503,
        true,
        'tx-1',
      ]);
    }
  });

  it('turns a commit status deadline into a pending commit carrying the tx id', () => {
    const mapped = mapLedgerError(
      new CommitStatusError({
        code: GrpcStatus.DEADLINE_EXCEEDED,
        details: [],
        cause: cause(GrpcStatus.DEADLINE_EXCEEDED, 'Deadline exceeded'),
        transactionId: 'tx-4',
        message: '4 DEADLINE_EXCEEDED: Deadline exceeded',
      }),
    );
    expect(mapped).to.be.instanceOf(CommitPendingError);
    expect((mapped as CommitPendingError).transactionId).to.equal('tx-4');
  });

  it('leaves errors that did not come from Fabric alone', () => {
    const error = new TypeError('bug');
    expect(mapLedgerError(error)).to.equal(error);
  });
});
