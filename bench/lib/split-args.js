/**
 * Splits `npm run bench -- NAME… [OPTION [VALUE]]…` into the benches to run and the arguments each
 * of them gets. A word that names a bench is a bench; any other word is the value of the option
 * just before it (`decode --run 3`: the 3 goes to decode with --run); a word with no option before
 * it that names no bench is an error. (A value that is also a bench's name: write `--opt=value`.)
 * @param {string[]} args
 * @param {string[]} benches
 * @returns {{ names: string[], passed: string[], unknown: string[] }}
 */
export function splitBenchArgs(args, benches) {
  const names = [];
  const passed = [];
  const unknown = [];
  args.forEach((arg, i) => {
    const afterOption = i > 0 && args[i - 1].startsWith('-') && !args[i - 1].includes('=');
    if (arg.startsWith('-')) passed.push(arg);
    else if (benches.includes(arg)) names.push(arg);
    else if (afterOption) passed.push(arg);
    else unknown.push(arg);
  });
  return { names, passed, unknown };
}
