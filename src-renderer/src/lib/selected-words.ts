/**
 * The words a user selected inside an element (a model's output), for "which training pairs contain
 * them?": the selection's text, trimmed, and the element its start lies in (a view finds the run of a
 * table cell from it). Nothing when the selection is empty or starts outside `within`.
 */
export function selectedWords(within: HTMLElement): { text: string; at: Element } | null {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
  const node = sel.anchorNode;
  const at = node instanceof Element ? node : (node?.parentElement ?? null);
  if (!at || !within.contains(at)) return null;
  const text = sel.toString().replace(/\s+/gu, ' ').trim();
  return text ? { text, at } : null;
}
