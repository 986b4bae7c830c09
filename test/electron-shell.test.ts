import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { permissionAllowed } from '../src-main/electron/permissions.ts';

/** The Electron shell's pure parts (the Electron binary cannot run here): the page's CSP and the permission rule. */
describe('Electron page', () => {
  it("the page's own CSP allows no connection beyond its origin (no ws: to any host)", () => {
    const html = readFileSync(new URL('../src-renderer/index.html', import.meta.url), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...v]) => [name, v]),
    );
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(csp).not.toMatch(/\bws:|\*/);
  });

  it('denies every permission but writing to the clipboard from its own page', () => {
    const own = 'file:///app/out/renderer/index.html';
    expect(permissionAllowed('clipboard-sanitized-write', 'file:///app/out/renderer/index.html', own)).toBe(true);
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'midi',
      'hid',
      'serial',
      'usb',
    ]) {
      expect(permissionAllowed(p, own, own)).toBe(false);
    }
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/', own)).toBe(false);
  });
});
