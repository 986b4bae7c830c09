/**
 * RFC 4180 records from physical lines, fed one line at a time. Each character
 * is looked at once, whatever the input: an open quoted field carries its state
 * to the next line instead of re-reading what was gathered (which made a file
 * with one stray quote quadratic).
 *
 * Quoting rules, as spreadsheets and Python's csv read them:
 *  - a quote opens a quoted field only as the field's first character; inside an
 *    unquoted field it is text (`5" screen`);
 *  - in a quoted field `""` is a quote, and a lone `"` closes the field, which must
 *    then end (comma or end of line): anything else is refused, since it almost
 *    always is an undoubled quote inside the field;
 *  - a quoted field may span lines and keeps each line break as it was (\n, \r\n, \r).
 * A quoted field still open after MAX_OPEN_CHARS (a stray opening quote) is given
 * up and reading resumes at the next line, so the rest of the file is not lost and
 * memory stays bounded.
 */
export const MAX_OPEN_CHARS = 1 << 20;

// the record continues on the next line
export type CsvResult = { record: string[]; line: number } | { bad: string; line: number } | null;

export class CsvRecordReader {
  /** Fields of the record being read, and the open quoted field's text so far. */
  private fields: string[] = [];
  private isOpen = false;
  private open = '';
  private startLine = 0;
  private lastLine = 0;
  private openChars = 0;

  /** One physical line (without its line break) and the break that ended it ('' at the end of the file). */
  push(text: string, eol: string, line: number): CsvResult {
    this.lastLine = line;
    let i = 0;
    if (!this.isOpen) {
      if (text === '') return null; // blank line between records
      this.fields = [];
      this.startLine = line;
      this.openChars = 0;
    } else {
      const r = this.readQuoted(text, 0, eol);
      if (r === 'open') return this.giveUpIfTooLong();
      if (typeof r === 'object') return this.fail(r.bad);
      i = r;
      if (i === text.length) return this.finish();
      i++; // the comma after the closing quote
    }
    for (;;) {
      if (text.charCodeAt(i) === 34) {
        this.isOpen = true;
        this.open = '';
        const r = this.readQuoted(text, i + 1, eol);
        if (r === 'open') return this.giveUpIfTooLong();
        if (typeof r === 'object') return this.fail(r.bad);
        if (r === text.length) return this.finish();
        i = r + 1;
        continue;
      }
      const comma = text.indexOf(',', i);
      if (comma < 0) {
        this.fields.push(text.slice(i));
        return this.finish();
      }
      this.fields.push(text.slice(i, comma));
      i = comma + 1;
    }
  }

  /** At the end of the file: a quoted field still open is reported where it was opened. */
  end(): CsvResult {
    if (!this.isOpen) return null;
    this.isOpen = false;
    this.open = '';
    return {
      bad:
        `quoted field opened here is never closed (a stray quote?); ` +
        `lines ${this.startLine}-${this.lastLine} were not read`,
      line: this.startLine,
    };
  }

  /**
   * Continues the open quoted field from `from`: returns the index just past its
   * closing quote (a comma or the end of the line must follow), 'open' when the
   * line ends inside it, or the reason the record is malformed.
   */
  private readQuoted(text: string, from: number, eol: string): number | 'open' | { bad: string } {
    let i = from;
    for (;;) {
      const q = text.indexOf('"', i);
      if (q < 0) {
        this.open += text.slice(i) + eol;
        this.openChars += text.length - i + eol.length;
        return 'open';
      }
      this.open += text.slice(i, q);
      if (text.charCodeAt(q + 1) === 34) {
        this.open += '"';
        i = q + 2;
        continue;
      }
      const after = q + 1;
      if (after < text.length && text.charCodeAt(after) !== 44)
        return { bad: 'text after a closing quote: a quote inside a quoted field must be doubled ("")' };
      this.fields.push(this.open);
      this.isOpen = false;
      this.open = '';
      return after;
    }
  }

  private giveUpIfTooLong(): CsvResult {
    if (this.openChars <= MAX_OPEN_CHARS) return null;
    return this.fail(
      `quoted field opened here is still open after ${MAX_OPEN_CHARS >> 20} MiB ` +
        `(a stray quote?); lines ${this.startLine}-${this.lastLine} were skipped`,
    );
  }

  private finish(): CsvResult {
    const record = this.fields;
    this.fields = [];
    return { record, line: this.startLine };
  }

  private fail(message: string): CsvResult {
    this.fields = [];
    this.isOpen = false;
    this.open = '';
    return { bad: message, line: this.startLine };
  }
}
