/** Takes one decoded line; false stops the cutting (the rest of the bytes is not needed). */
export type LineSink = (line: string) => boolean;

/**
 * Cuts UTF-8 bytes into lines as they come, at `\n` with one `\r` before it dropped, as
 * `text.split(/\r?\n/)` cuts the decoded text. Each line is decoded once, from its own bytes:
 * a `\n` byte never falls inside a UTF-8 sequence, so this reads exactly as decoding the whole
 * text would, invalid bytes included, and an all-ASCII line stays a one-byte string whatever
 * the rest of the file holds. Costs O(new bytes): a line spanning several pushes is kept as
 * its pieces and joined once, when its newline comes.
 */
export class Utf8Lines {
  /** The bytes of the unfinished line (copies: the caller may reuse what it pushed). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Gives `sink` each line ended in `bytes`; false once the sink stopped (nothing more is kept). */
  push(bytes: Buffer, sink: LineSink): boolean {
    let from = 0;
    let nl = bytes.indexOf(10);
    if (nl >= 0 && this.pendingBytes > 0) {
      this.pending.push(bytes.subarray(0, nl));
      const line = this.takePending(nl);
      from = nl + 1;
      if (!sink(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line)) return false;
      nl = bytes.indexOf(10, from);
    }
    for (; nl >= 0; nl = bytes.indexOf(10, from)) {
      const end = nl > from && bytes[nl - 1] === 13 ? nl - 1 : nl;
      const line = bytes.toString('utf8', from, end);
      from = nl + 1;
      if (!sink(line)) return false;
    }
    if (from < bytes.length) {
      this.pending.push(Buffer.from(bytes.subarray(from)));
      this.pendingBytes += bytes.length - from;
    }
    return true;
  }

  /** The text after the last newline (empty when the bytes ended with one), any `\r` it ends with kept. */
  flush(): string {
    return this.takePending(0);
  }

  private takePending(extra: number): string {
    const pieces = this.pending;
    const length = this.pendingBytes + extra;
    this.pending = [];
    this.pendingBytes = 0;
    if (pieces.length === 0) return '';
    return (pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, length)).toString('utf8');
  }
}
