// Child process for the store tests: waits until a shared start time (so several
// processes race), opens the store at argv[2], and reports how it went on stdout.
import { openDb } from '../../src-main/core/store/db.ts';

const [path, startAt] = process.argv.slice(2);
while (Date.now() < Number(startAt)) {
  // spin: a timer's granularity would spread the openers apart
}
try {
  openDb(path).close();
  process.stdout.write('ok\n');
} catch (err) {
  process.stdout.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
}
