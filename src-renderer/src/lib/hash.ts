/**
 * The URL hash of the renderer (#/datasets/NAME, #/runs/3, #/compare?runs=1,2,
 * #/playground?run=1) as data, and back. Pure, so it is unit-tested
 * (test/ui-hash.test.ts); router.svelte.ts keeps the reactive state.
 */
export type View = 'datasets' | 'runs' | 'compare' | 'playground';
export const VIEWS: View[] = ['datasets', 'runs', 'compare', 'playground'];

export interface ViewRoute {
  parts: string[];
  params: URLSearchParams;
}

export function parseHash(hash: string): ViewRoute & { view: View } {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const view = (VIEWS.includes(parts[0] as View) ? parts[0] : 'datasets') as View;
  return { view, parts: parts.slice(1), params: new URLSearchParams(query) };
}

export function hashOf(view: View, r: ViewRoute = { parts: [], params: new URLSearchParams() }): string {
  const q = r.params.toString();
  return `#/${[view, ...r.parts].join('/')}${q ? `?${q}` : ''}`;
}
