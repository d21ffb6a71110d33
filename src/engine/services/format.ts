/** R multiples as the services word them: "+1.37R", "−0.50R" (a real minus). */
export function formatSignedR(r: number): string {
  return `${r >= 0 ? '+' : '−'}${Math.abs(r).toFixed(2)}R`;
}
