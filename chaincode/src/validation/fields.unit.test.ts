import { expect } from 'chai';
import fc from 'fast-check';
import { EscrowError } from '../errors/escrowErrors';
import { expectRefusal } from '../testing/escrowFixtures';
import { requireInstant, requireMinorUnits } from './fields';

const AMOUNT_RUNS = 2_000;

describe('field validation', () => {
  it(`accepts exactly the canonical minor-unit strings (${AMOUNT_RUNS} random strings)`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 22 }), fc.stringMatching(/^[0-9]{1,20}$/)), (text) => {
        const canonical = /^(0|[1-9][0-9]{0,17})$/.test(text);
        try {
          expect(requireMinorUnits(text, 'amount').toString()).to.equal(text);
          expect(canonical).to.equal(true);
        } catch (error) {
          if (!(error instanceof EscrowError)) throw error;
          expect(canonical).to.equal(false);
          expect(['INVALID_INPUT', 'INPUT_TOO_LARGE']).to.include(error.code);
        }
      }),
      { numRuns: AMOUNT_RUNS },
    );
  });

  it('refuses numbers, signs, decimals and leading zeros', () => {
    for (const value of [12, '-1', '+1', '1.0', '01', '1e3', ' 1', '']) {
      expectRefusal(() => requireMinorUnits(value, 'amount'), 'INVALID_INPUT');
    }
    expectRefusal(() => requireMinorUnits('1'.repeat(19), 'amount'), 'INPUT_TOO_LARGE');
  });

  it('reads UTC instants only', () => {
    expect(requireInstant('2030-01-31T12:00:00Z', 'at')).to.equal(Date.parse('2030-01-31T12:00:00Z'));
    expect(requireInstant('2030-01-31T12:00:00.250Z', 'at')).to.equal(Date.parse('2030-01-31T12:00:00.250Z'));
    for (const value of ['2030-01-31', '2030-01-31T12:00:00+01:00', '2030-13-01T00:00:00Z', 1893456000000]) {
      expectRefusal(() => requireInstant(value, 'at'), 'INVALID_INPUT');
    }
  });
});
