/** Hash routing (#/datasets, #/runs/3, #/compare?runs=1,2, #/playground?run=1) so every view deep-links. */
export type View = 'datasets' | 'runs' | 'compare' | 'playground';
export const VIEWS: View[] = ['datasets', 'runs', 'compare', 'playground'];

function parse(): { view: View; parts: string[]; params: URLSearchParams } {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const view = (VIEWS.includes(parts[0] as View) ? parts[0] : 'datasets') as View;
  return { view, parts: parts.slice(1), params: new URLSearchParams(query) };
}

export const route = $state(parse());

window.addEventListener('hashchange', () => Object.assign(route, parse()));

export function go(view: View, sub: string[] = [], params: Record<string, string> = {}): void {
  const q = new URLSearchParams(params).toString();
  location.hash = `#/${[view, ...sub].join('/')}${q ? `?${q}` : ''}`;
}
