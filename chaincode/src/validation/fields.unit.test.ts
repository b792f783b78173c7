import { expect } from 'chai';
import fc from 'fast-check';
import { EscrowError } from '../errors/escrowErrors';
import { expectRefusal } from '../testing/escrowFixtures';
import {
  TEXT_RULES,
  requireId,
  requireInstant,
  requireMinorUnits,
  requireReference,
  requireText,
} from './fields';

const AMOUNT_RUNS = 2_000;
const TEXT_RUNS = 5_000;

/** Every code point TEXT_RULES.forbiddenRanges names. */
function forbiddenCodePoints(): number[] {
  return TEXT_RULES.forbiddenRanges.flatMap(({ from, to }) => {
    const [start, end] = [parseInt(from.slice(2), 16), parseInt(to.slice(2), 16)];
    return Array.from({ length: end - start + 1 }, (_, offset) => start + offset);
  });
}

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

  describe('text rules', () => {
    it('refuses every control character U+0000–U+001F and U+007F–U+009F with INVALID_TEXT, wherever it stands', () => {
      const codePoints = forbiddenCodePoints();
      expect(codePoints).to.have.length(65);
      for (const codePoint of codePoints) {
        const character = String.fromCharCode(codePoint);
        for (const text of [character, `DHL${character}`, `${character}Camera`, `a${character}b`]) {
          expectRefusal(() => requireText(text, 'carrier'), 'INVALID_TEXT');
        }
      }
    });

    it('refuses unpaired UTF-16 surrogates and accepts pairs and other non-ASCII text', () => {
      for (const text of ['\ud800', 'a\udfff', '\udc00\ud800', 'x\ud83d']) {
        expectRefusal(() => requireText(text, 'reason'), 'INVALID_TEXT');
      }
      for (const text of [
        'Kamera 📷',
        'Überweisung',
        '東京の時計',
        'café\u00a0noir',
        '\u2028 line separator',
      ]) {
        expect(requireText(text, 'description')).to.equal(text);
      }
    });

    it('names the character and its position in the refusal', () => {
      expect(() => requireText('Cam\u0000era', 'items[0].description')).to.throw(
        'INVALID_TEXT: items[0].description contains a control character (U+0000) at index 3',
      );
      expect(() => requireText('x\ud800', 'reason')).to.throw('an unpaired surrogate (U+D800) at index 1');
    });

    it('refuses over-long text with INPUT_TOO_LARGE at the published lengths', () => {
      expectRefusal(
        () => requireText('a'.repeat(TEXT_RULES.maxLength.text + 1), 'reason'),
        'INPUT_TOO_LARGE',
      );
      expectRefusal(() => requireId('a'.repeat(TEXT_RULES.maxLength.id + 1), 'escrowId'), 'INPUT_TOO_LARGE');
      expectRefusal(
        () => requireReference('a'.repeat(TEXT_RULES.maxLength.reference + 1), 'trackingRef'),
        'INPUT_TOO_LARGE',
      );
      expect(requireText('a'.repeat(TEXT_RULES.maxLength.text), 'reason')).to.have.length(200);
    });

    it(`accepts exactly what TEXT_RULES.pattern describes (${TEXT_RUNS} random UTF-16 strings)`, () => {
      const pattern = new RegExp(TEXT_RULES.pattern, 'u');
      fc.assert(
        fc.property(
          fc.string({ unit: 'binary', maxLength: 12 }),
          fc.string({ unit: 'grapheme', maxLength: 4 }),
          (tail, head) => {
            const text = `x${head}${tail}`;
            const allowed = pattern.test(text);
            try {
              requireText(text, 'text', 1_000);
              expect(allowed, JSON.stringify(text)).to.equal(true);
            } catch (error) {
              if (!(error instanceof EscrowError)) throw error;
              expect(error.code).to.equal('INVALID_TEXT');
              expect(allowed, JSON.stringify(text)).to.equal(false);
            }
          },
        ),
        { numRuns: TEXT_RUNS },
      );
    });
  });
});
