/** "1 pair", "2,949 pairs": a count with its noun, singular for one. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
