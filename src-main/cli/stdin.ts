/** All lines of stdin (the translate and score commands' pipe input). */
export async function readStdinLines(): Promise<string[]> {
  if (process.stdin.isTTY) process.stderr.write('reading sentences from stdin (Ctrl+D to end)\n');
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
