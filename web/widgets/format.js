// Number formatting shared by widgets and charts. Pure (no DOM); readouts never show NaN or
// Infinity.

const SUPERSCRIPT = { '-': '⁻', '+': '', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶',
  7: '⁷', 8: '⁸', 9: '⁹' };

/** An integer (or its digits) in superscript: -12 -> "⁻¹²". */
export const superscript = (k) => [...String(k)].map((c) => SUPERSCRIPT[c] ?? c).join('');

/**
 * A power of ten as a log axis labels it: 0.001 … 10000 written out, 10⁻⁶ or 10⁸ beyond (the
 * value is rounded to its power first).
 */
export function formatPowerOfTen(value) {
  const k = Math.round(Math.log10(value));
  if (k < -3 || k > 4) return `10${superscript(k)}`;
  return k < 0 ? (10 ** k).toFixed(-k) : String(10 ** k);
}

/**
 * Format a number for people: fixed decimals in the everyday range, "1.2 × 10⁻⁵" outside it.
 * @param {number} value
 * @param {{digits?: number, nonFinite?: string, unit?: string}} [options]
 *   digits: decimal places (default 3); nonFinite: text for NaN/±Infinity/missing (default "—";
 *   loss readouts pass "diverged"); unit: appended after a thin space.
 */
export function formatNumber(value, { digits = 3, nonFinite = '—', unit = '' } = {}) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return nonFinite;
  const abs = Math.abs(value);
  let text;
  if (abs !== 0 && (abs >= 1e6 || abs < 0.5 * 10 ** -digits)) {
    const [mantissa, exponent] = value.toExponential(Math.max(1, Math.min(digits, 3))).split('e');
    text = `${mantissa} × 10${superscript(exponent)}`;
  } else {
    text = value.toFixed(digits);
    if (/^-0(\.0*)?$/.test(text)) text = text.slice(1); // never show "-0.00"
  }
  return unit ? `${text}\u2009${unit}` : text;
}

/** Short form for chart summaries: 3 significant digits. */
export function formatShort(value, nonFinite = '—') {
  if (typeof value !== 'number' || !Number.isFinite(value)) return nonFinite;
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-3) return formatNumber(value, { digits: 2 });
  return String(Number(value.toPrecision(3)));
}
