/** Types of layers.js (plain JS: eslint.config.js loads it without tsx). */
export const projectRoot: string;
export type Layer = 'common' | 'core' | 'cli' | 'server' | 'electron' | 'renderer';
export const LAYER_RULES: Record<Layer, { may: Layer[]; nodeBuiltins: boolean; why: string }>;
export function layerOf(file: string): Layer | undefined;
export function isNodeBuiltin(specifier: string): boolean;
export function resolveSpecifier(fromFile: string, specifier: string): string | undefined;
export function layerViolation(fromFile: string, specifier: string): string | null;
