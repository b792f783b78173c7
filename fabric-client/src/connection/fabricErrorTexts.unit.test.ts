import { GatewayError } from '@hyperledger/fabric-gateway';
import { expect } from 'chai';
import { fabricErrorTexts } from './fabricErrorTexts';

/** A gRPC failure as fabric-gateway wraps it. */
function serviceError(message: string) {
  return Object.assign(new Error(message), { code: 10, details: message, metadata: undefined as never });
}

describe('fabricErrorTexts', () => {
  it('lists the endorsers’ details before the error’s own message', () => {
    const error = new GatewayError({
      code: 10,
      details: [
        {
          address: 'peer0.marketa:7051',
          mspId: 'MarketAMSP',
          message: 'chaincode response 500, DEADLINE_NOT_REACHED: the inspection window of e1 has not ended',
        },
        { address: 'peer0.marketb:9051', mspId: 'MarketBMSP', message: 'chaincode response 500, other' },
      ],
      cause: serviceError('10 ABORTED: failed to endorse transaction, see attached details for more info'),
    });
    expect(fabricErrorTexts(error)).to.deep.equal([
      'chaincode response 500, DEADLINE_NOT_REACHED: the inspection window of e1 has not ended',
      'chaincode response 500, other',
      error.message,
    ]);
  });

  it('gives the message of any other error, and the text of what is not an error', () => {
    expect(fabricErrorTexts(new Error('14 UNAVAILABLE: No connection established'))).to.deep.equal([
      '14 UNAVAILABLE: No connection established',
    ]);
    expect(fabricErrorTexts('refused')).to.deep.equal(['refused']);
  });
});
