/**
 * Which web permissions the workbench window may use: only writing to the
 * clipboard (the playground's "copy"), and only from the workbench's own page.
 * Camera, microphone, notifications, geolocation, device access (HID, serial,
 * USB, MIDI), reading the clipboard, opening external apps... are all denied,
 * asked for or merely checked. Pure (no Electron import), so it is tested
 * without the Electron binary; main.ts wires it into both session handlers.
 */
const ALLOWED: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/**
 * `requestingUrl`: the page or origin asking; `ownPrefix`: the start of the
 * workbench page's URL (file:///…/index.html, or the served page's origin + '/').
 */
export function permissionAllowed(permission: string, requestingUrl: string, ownPrefix: string): boolean {
  return ALLOWED.has(permission) && requestingUrl.startsWith(ownPrefix);
}
