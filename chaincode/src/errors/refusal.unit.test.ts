import { expect } from 'chai';
import { EscrowNotFoundError, InvalidStateError } from './escrowErrors';
import { parseRefusal, refusalIn } from './refusal';

describe('the refusal format, read back by clients', () => {
  it('finds the code and detail of a refusal the peer wrapped', () => {
    const text = `chaincode response 500, ${new InvalidStateError('ship', 'CREATED').message}`;
    expect(parseRefusal(text)).to.deep.equal({
      code: 'INVALID_STATE',
      detail: 'ship is not allowed in state CREATED',
    });
  });

  it('reads a bare refusal message and stops at the end of its line', () => {
    expect(parseRefusal(`${new EscrowNotFoundError('e-1').message}\nstack`)).to.deep.equal({
      code: 'ESCROW_NOT_FOUND',
      detail: 'escrow e-1 does not exist',
    });
  });

  it('ignores upper-case words that are not the chaincode codes', () => {
    expect(parseRefusal('rpc error: code = UNAVAILABLE desc = NOT_A_CODE: x')).to.equal(undefined);
    expect(parseRefusal('ABORTED: no')).to.equal(undefined);
  });

  it('takes the first refusal among several texts', () => {
    expect(refusalIn(['failed to endorse', 'peer0: CLOCK_SKEW: 600s', 'FORBIDDEN_ACTOR: no'])?.code).to.equal(
      'CLOCK_SKEW',
    );
    expect(refusalIn(['nothing here'])).to.equal(undefined);
  });
});
