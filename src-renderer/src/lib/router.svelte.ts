/** Hash routing (#/datasets, #/runs/3, #/compare?runs=1,2, #/playground?run=1) so every view deep-links. */
import { hashOf, parseHash, VIEWS, type View, type ViewRoute } from './hash.ts';

export { VIEWS, type View };

/** the route in the address bar */
export const route = $state(parseHash(location.hash));

/**
 * Each view's own route: the address bar's while the view is shown, its last one
 * while another view is. Views stay mounted (App.svelte) and keep showing what
 * they showed (their run, chosen runs, dataset), never another view's parameters,
 * and the navigation leads back to it.
 */
export const viewRoutes = $state(
  Object.fromEntries(
    VIEWS.map((v) => [
      v,
      v === route.view ? { parts: route.parts, params: route.params } : { parts: [], params: new URLSearchParams() },
    ]),
  ) as Record<View, ViewRoute>,
);

window.addEventListener('hashchange', () => {
  const next = parseHash(location.hash);
  Object.assign(route, next);
  viewRoutes[next.view] = { parts: next.parts, params: next.params };
});

/** Where the navigation to a view leads: back to what it last showed. */
export function hrefOf(view: View): string {
  return hashOf(view, viewRoutes[view]);
}

export function go(view: View, sub: string[] = [], params: Record<string, string> = {}): void {
  location.hash = hashOf(view, { parts: sub, params: new URLSearchParams(params) });
}
