/** A number for people: 3 significant digits, no exponent for everyday magnitudes. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-3) return x.toExponential(2);
  if (abs >= 1000) return String(Math.round(x));
  return String(Number(x.toPrecision(3)));
}

/** A p-value: "<0.001" below a thousandth, else 2 significant digits. */
export function formatPValue(p: number): string {
  if (p < 0.001) return '<0.001';
  return String(Number(p.toPrecision(2)));
}
