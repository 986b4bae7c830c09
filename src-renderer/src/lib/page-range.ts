/** "51–100 of 1,234": the rows a page shows of a paged list (empty when there are none). */
export function pageRange(offset: number, page: number, total: number): string {
  if (total <= 0) return '';
  const n = (x: number) => x.toLocaleString('en');
  return `${n(offset + 1)}–${n(Math.min(offset + page, total))} of ${n(total)}`;
}
