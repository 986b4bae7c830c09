/**
 * An import error as the import panel shows it. The core words its errors for
 * every door, naming the file and the command-line flag that helps; in the
 * panel the file is named once (the core's message already starts with it)
 * and the flag becomes the control that does the same.
 */
const GUI_FOR_FLAG: Array<[RegExp, string]> = [
  [/--skip-bad skips such lines/, 'tick “skip bad lines” under options to import the others'],
  [/use --src-col\/--tgt-col/, 'name them under options (CSV English column, CSV Hindi column)'],
];

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

export function importErrorText(message: string, files: readonly string[]): string {
  let m = message;
  for (const [flag, control] of GUI_FOR_FLAG) m = m.replace(flag, control);
  const named = files.some((f) => m.startsWith(`${f}:`) || m.startsWith(`${baseName(f)}:`));
  return named ? m : `${files.map(baseName).join(' + ')}: ${m}`;
}
