/** The untranslated rule: the target is the source copied (after trimming), and not empty. */
export function isCopy(source: string, target: string): boolean {
  const s = source.trim();
  return s !== '' && s === target.trim();
}
