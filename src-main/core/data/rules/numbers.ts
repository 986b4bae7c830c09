/**
 * The numbers rule: both sides should carry the same digit sequences. Devanagari
 * digits (०-९) are read as 0-9, and a comma or space-free grouping inside a
 * number ("1,000", Indian "1,00,000") is dropped, so "1,000" matches "१०००".
 * Numbers written as words ("two", "दो") are not seen: a pair "two apples" /
 * "2 सेब" differs by this rule.
 */
export function numberKey(s: string): string {
  const found: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d = -1;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x966 && c <= 0x96f) d = c - 0x966;
    if (d >= 0) {
      cur += String.fromCharCode(0x30 + d);
      continue;
    }
    // a grouping comma between two digits stays inside the number
    if (c === 0x2c && cur !== '' && i + 1 < s.length && isDigit(s.charCodeAt(i + 1))) continue;
    if (cur !== '') found.push(cur);
    cur = '';
  }
  if (cur !== '') found.push(cur);
  if (found.length === 0) return '';
  if (found.length === 1) return found[0];
  return found.sort().join(' ');
}

function isDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x966 && c <= 0x96f);
}

export function numbersDiffer(source: string, target: string): boolean {
  return numberKey(source) !== numberKey(target);
}
