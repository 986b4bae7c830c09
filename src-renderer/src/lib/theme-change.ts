/**
 * Calls `onChange` when the OS switches between light and dark: canvas charts take their colours from CSS
 * variables when they draw, so they draw again. Returns the unsubscribe (an onMount cleanup).
 */
export function watchColorScheme(onChange: () => void): () => void {
  const mq = window.matchMedia('(prefers-color-scheme: dark)');
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}
