import { expect } from 'chai';
import fc from 'fast-check';
import { formatMinorUnits, parseMajorUnits } from './money';

describe('console money formatting', () => {
  it('shows minor units in major units with the currency decimals', () => {
    expect(formatMinorUnits('123456', 'EUR')).to.equal('1234.56 EUR');
    expect(formatMinorUnits('5', 'EUR')).to.equal('0.05 EUR');
    expect(formatMinorUnits('1500', 'JPY')).to.equal('1500 JPY');
    expect(formatMinorUnits('-250', 'USD')).to.equal('-2.50 USD');
  });

  it('refuses what is not an integer of minor units', () => {
    expect(() => formatMinorUnits('1.5', 'EUR')).to.throw('not an amount');
  });

  it('parses typed major units exactly and refuses more decimals than the currency has', () => {
    expect(parseMajorUnits('12.5', 'EUR')).to.equal('1250');
    expect(parseMajorUnits('0', 'EUR')).to.equal('0');
    expect(parseMajorUnits('1.234', 'EUR')).to.equal(undefined);
    expect(parseMajorUnits('abc', 'EUR')).to.equal(undefined);
  });

  it('reads back what it shows, for any amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), (value) => {
        const shown = formatMinorUnits(value.toString(), 'EUR').replace(' EUR', '');
        expect(parseMajorUnits(shown, 'EUR')).to.equal(value.toString());
      }),
    );
  });
});
