/** Types of split-args.js (plain JS: bench/run.js runs without tsx). */
export function splitBenchArgs(
  args: string[],
  benches: string[],
): { names: string[]; passed: string[]; unknown: string[] };
