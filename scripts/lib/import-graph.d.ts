/** Types of import-graph.js (plain JS: `npm run lint` runs it without tsx). */
export type ImportGraph = Map<string, string[]>;
export function importSpecifiers(file: string, text: string): string[];
export function importGraph(dirs?: string[], root?: string): ImportGraph;
export function findCycles(graph: ImportGraph): string[][];
