// What the gateway computes with the chaincode's own rules before a submit is refused as the chaincode
// would refuse it: a control character in a return address was an unexpected error (500) in the API
// fuzzing run, while the ledger itself answers INVALID_TEXT (400).
import { returnAddressHashOf } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import { refusedAsTheChaincodeWould } from './escrowLedgerClient';
import { ChaincodeRefusalError } from './ledgerErrors';

describe("the gateway's own use of the chaincode's rules", () => {
  const details = (address: string) => ({
    escrowId: 'e-1',
    item: 0,
    salt: '0123456789abcdef0123456789abcdef',
    address,
  });

  it('refuses a return address with a control character as INVALID_TEXT (400), not as an unexpected error', () => {
    let refusal: unknown;
    try {
      refusedAsTheChaincodeWould(() => returnAddressHashOf(details('\u00b9\u00b6P1\u00ff\u007f\u009b')));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).to.be.instanceOf(ChaincodeRefusalError);
    expect(refusal).to.include({ status: 400, code: 'INVALID_TEXT' });
  });

  it('hashes an address the chaincode accepts', () => {
    expect(refusedAsTheChaincodeWould(() => returnAddressHashOf(details('1 Fuzz Way, Lyon')))).to.match(
      /^[0-9a-f]{64}$/,
    );
  });
});
