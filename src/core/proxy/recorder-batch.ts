import type { RecorderInput, RecorderWire, WireItem } from './recorder-messages.js';

const FIRST_BYTES = 16 * 1024;
const FIRST_INDEX = 64 * 4;

/**
 * What the forwarding thread hands the recorder in one turn of its event loop, gathered for
 * one postMessage: every chunk's bytes copied once, back to back, into one buffer, and each
 * chunk described by four numbers, so a batch of a thousand chunks costs one structured clone
 * of a short list and two moved buffers rather than a thousand objects and buffers.
 */
export class RecorderBatch {
  private items: WireItem[] = [];
  private index = new Float64Array(FIRST_INDEX);
  private indexUsed = 0;
  private bytes = new Uint8Array(FIRST_BYTES);
  private bytesUsed = 0;
  /** Request ids with an input in this batch. */
  readonly ids = new Set<number>();

  /** Inputs gathered since the last `take`. */
  get empty(): boolean {
    return this.items.length === 0;
  }

  /** Bytes gathered since the last `take`. */
  get byteLength(): number {
    return this.bytesUsed;
  }

  /** Adds `input`; its bytes are copied now, so the caller's buffer may be reused after. */
  add(input: RecorderInput): void {
    if ('id' in input) this.ids.add(input.id);
    if (input.type === 'bytes') {
      const start = this.copy(input.bytes);
      if (this.indexUsed + 4 > this.index.length) {
        const grown = new Float64Array(this.index.length * 2);
        grown.set(this.index);
        this.index = grown;
      }
      const i = this.indexUsed;
      this.index[i] = input.id;
      this.index[i + 1] = input.at;
      this.index[i + 2] = start;
      this.index[i + 3] = input.bytes.byteLength;
      this.indexUsed += 4;
      const last = this.items.length - 1;
      if (typeof this.items[last] === 'number') (this.items[last] as number)++;
      else this.items.push(1);
      return;
    }
    if (input.type === 'request') {
      const start = this.copy(input.body);
      this.items.push({ type: 'request', id: input.id, at: input.at, start, length: input.body.byteLength });
      return;
    }
    this.items.push(input);
  }

  /** The batch as it crosses, with the buffers to move; undefined when empty. Starts a new batch. */
  take(): { wire: RecorderWire; transfer: ArrayBuffer[] } | undefined {
    if (this.items.length === 0) return undefined;
    const wire: RecorderWire = { type: 'batch', items: this.items, index: this.index, bytes: this.bytes.buffer as ArrayBuffer };
    const transfer = [this.index.buffer as ArrayBuffer, this.bytes.buffer as ArrayBuffer];
    this.items = [];
    // Moved buffers are gone from this thread: the next batch gets fresh ones, sized for a quiet turn.
    this.index = new Float64Array(FIRST_INDEX);
    this.indexUsed = 0;
    this.bytes = new Uint8Array(FIRST_BYTES);
    this.bytesUsed = 0;
    this.ids.clear();
    return { wire, transfer };
  }

  /** Drops everything gathered. */
  clear(): void {
    this.take();
  }

  private copy(view: Uint8Array): number {
    const need = this.bytesUsed + view.byteLength;
    if (need > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < need) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.bytes.subarray(0, this.bytesUsed));
      this.bytes = grown;
    }
    const start = this.bytesUsed;
    this.bytes.set(view, start);
    this.bytesUsed = need;
    return start;
  }
}
