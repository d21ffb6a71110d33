/** Number formats for refusal reasons: the trader reads them, so signs are explicit and the minus is a real one. */

export function signedPct(value: number, digits = 2): string {
  const sign = value < 0 ? '−' : '+';
  return `${sign}${Math.abs(value).toFixed(digits)} %`;
}

export function pct(value: number, digits = 2): string {
  return `${value < 0 ? '−' : ''}${Math.abs(value).toFixed(digits)} %`;
}

/** Money / prices with up to 8 significant decimals, no exponent for ordinary magnitudes. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 2 : abs >= 1 ? 4 : 8;
  const text = Number(value.toFixed(digits)).toString();
  return text.startsWith('-') ? `−${text.slice(1)}` : text;
}
