import { expect } from 'chai';
import { loadOpenApi } from '../../openapi/apiDocs';
import { derivedEscrowId } from './derivedEscrowId';

describe('derivedEscrowId', () => {
  it('names the same escrow for every attempt of one create (same caller, same key)', () => {
    expect(derivedEscrowId('marketa-backend|sub-1', 'key-12345678')).to.equal(
      derivedEscrowId('marketa-backend|sub-1', 'key-12345678'),
    );
  });

  it('names different escrows for another key or another caller with the same key', () => {
    const id = derivedEscrowId('marketa-backend|sub-1', 'key-12345678');
    expect(derivedEscrowId('marketa-backend|sub-1', 'key-87654321')).not.to.equal(id);
    expect(derivedEscrowId('marketb-backend|sub-2', 'key-12345678')).not.to.equal(id);
  });

  it('is an escrow id the API and the chaincode accept (pattern, at most 64 characters)', () => {
    const schemas = (loadOpenApi()['components'] as { schemas: Record<string, { pattern: string }> }).schemas;
    const pattern = new RegExp(schemas['EscrowId']?.pattern ?? '^$');
    const id = derivedEscrowId('escrow-web|0b9c', 'e2e-3f1a1c5e-0c1d-4a53-8f5e-4c9a1d2b7e6f');
    expect(id).to.match(pattern);
    expect(id.length).to.be.at.most(64);
  });
});
