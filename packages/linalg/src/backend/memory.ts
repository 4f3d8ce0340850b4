/**
 * The WebAssembly kernels' memory: one shared, growable linear memory, carved into blocks by a
 * first-fit allocator. Shared memory never detaches its buffer when it grows, so a typed-array view
 * handed out stays valid for as long as its block is allocated; every buffer object the memory has
 * shown is remembered so that `owns(view)` can tell a view into this memory from an ordinary array.
 *
 * Blocks are 64-byte aligned (a cache line; SIMD loads need 16). The first 64 KiB page is left to
 * the compiled module's own static data.
 */
const PAGE = 65536;

/** A WebAssembly.Memory, as far as the allocator uses it. */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
const ALIGN = 64;

interface Free {
  start: number;
  size: number;
}

export class LinearMemory {
  readonly memory: WasmMemory;
  private readonly buffers = new Set<ArrayBufferLike>();
  private current: ArrayBufferLike;
  private recent: ArrayBufferLike | null = null;
  private readonly free: Free[] = [];
  private readonly used = new Map<number, number>(); // start → size
  private readonly maxPages: number;

  constructor(memory: WasmMemory, maxPages: number) {
    this.memory = memory;
    this.maxPages = maxPages;
    this.current = memory.buffer;
    this.buffers.add(this.current);
    const bytes = memory.buffer.byteLength;
    if (bytes > PAGE) this.free.push({ start: PAGE, size: bytes - PAGE });
  }

  /**
   * The memory's buffer now. A shared memory's `buffer` may be a new object after a grow (V8 makes
   * one lazily), so each one seen is remembered.
   */
  buffer(): ArrayBufferLike {
    const b = this.memory.buffer;
    if (b !== this.current) {
      this.current = b;
      this.buffers.add(b);
    }
    return b;
  }

  /** True when `view` is a window onto this memory (so a kernel can take its address). */
  owns(view: ArrayBufferView): boolean {
    return this.ownsBuffer(view.buffer);
  }

  /** True when `b` is (one of the objects for) this memory's buffer. */
  ownsBuffer(b: ArrayBufferLike): boolean {
    if (b === this.current || b === this.recent) return true;
    if (this.buffers.has(b) || b === this.buffer()) {
      this.recent = b; // the workspace of a training loop asks about the same buffer again and again
      return true;
    }
    return false;
  }

  /** Bytes currently handed out. */
  get allocatedBytes(): number {
    let n = 0;
    for (const s of this.used.values()) n += s;
    return n;
  }

  /** The memory's size in bytes. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** A zeroed block of `bytes` bytes; returns its byte address. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    let k = this.free.findIndex((f) => f.size >= size);
    if (k < 0) {
      this.grow(size);
      k = this.free.findIndex((f) => f.size >= size);
    }
    const f = this.free[k] as Free;
    const start = f.start;
    if (f.size === size) this.free.splice(k, 1);
    else {
      f.start += size;
      f.size -= size;
    }
    this.used.set(start, size);
    new Uint8Array(this.buffer(), start, size).fill(0);
    return start;
  }

  /** Returns a block from alloc() to the free list. Unknown addresses are ignored. */
  release(start: number): void {
    const size = this.used.get(start);
    if (size === undefined) return;
    this.used.delete(start);
    let k = this.free.findIndex((f) => f.start > start);
    if (k < 0) k = this.free.length;
    this.free.splice(k, 0, { start, size });
    // merge with the next block, then with the previous one
    const next = this.free[k + 1];
    if (next && start + size === next.start) {
      (this.free[k] as Free).size += next.size;
      this.free.splice(k + 1, 1);
    }
    const prev = this.free[k - 1];
    if (prev && prev.start + prev.size === start) {
      prev.size += (this.free[k] as Free).size;
      this.free.splice(k, 1);
    }
  }

  /** Grows by at least `bytes` (and at least doubling, to keep growth rare). */
  private grow(bytes: number): void {
    const have = this.memory.buffer.byteLength / PAGE;
    const want = Math.max(Math.ceil(bytes / PAGE) + 1, have);
    const pages = Math.min(want, this.maxPages - have);
    if (pages * PAGE < bytes) {
      throw new RangeError(
        `out of WebAssembly memory: ${bytes} more bytes needed, at most ${this.maxPages * PAGE} in all`,
      );
    }
    const end = have * PAGE;
    this.memory.grow(pages);
    this.buffer();
    const last = this.free[this.free.length - 1];
    if (last && last.start + last.size === end) last.size += pages * PAGE;
    else this.free.push({ start: end, size: pages * PAGE });
  }
}
