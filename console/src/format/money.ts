// Amounts travel as strings of integer minor units (no floats anywhere); the console shows them in
// major units with the currency's own number of decimals, exactly, through BigInt.

/** Decimals of a currency's minor unit, as Intl knows them (2 when it does not know the code). */
export function minorUnitDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** "123456" EUR → "1234.56 EUR"; "-5" JPY → "-5 JPY". Refuses what is not an integer string. */
export function formatMinorUnits(amount: string, currency: string): string {
  if (!/^-?[0-9]+$/.test(amount)) throw new Error(`not an amount in minor units: ${amount}`);
  const digits = minorUnitDigits(currency);
  const value = BigInt(amount);
  const negative = value < 0n;
  const magnitude = (negative ? -value : value).toString().padStart(digits + 1, '0');
  const major = digits === 0 ? magnitude : `${magnitude.slice(0, -digits)}.${magnitude.slice(-digits)}`;
  return `${negative ? '-' : ''}${major} ${currency}`;
}

/** Parses a major-unit text the user typed ("12.5") into minor units ("1250"), or undefined. */
export function parseMajorUnits(text: string, currency: string): string | undefined {
  const digits = minorUnitDigits(currency);
  const match = /^([0-9]+)(?:\.([0-9]*))?$/.exec(text.trim());
  if (match === null) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  return BigInt(`${match[1] ?? '0'}${fraction.padEnd(digits, '0')}`).toString();
}
