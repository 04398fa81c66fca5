/** Splits a byte stream into NDJSON lines as they complete; a line may span chunks. */
export class NdjsonLines {
  private buffered = '';

  push(chunk: Buffer): string[] {
    this.buffered += chunk.toString('utf8');
    const parts = this.buffered.split('\n');
    this.buffered = parts.pop() ?? '';
    return parts.filter((line) => line.trim() !== '');
  }

  /** Text after the last newline: a torn last line when the body has ended. */
  get rest(): string {
    return this.buffered;
  }
}
