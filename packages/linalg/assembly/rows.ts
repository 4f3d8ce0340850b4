/**
 * Bias broadcasts and their gradients over the rows of a row-major (R, C) matrix, float32 and float64,
 * vectorised across columns so that each column's sum is formed in row order: the same order as the
 * TypeScript loops in src/kernels.ts, hence bit-identical float64 results.
 */

/** z[r, j] += b[j] for every row r < R (float32). */
export function add_rows_f32(z: usize, R: i32, C: i32, b: usize): void {
  const C4 = C & ~3;
  for (let r = 0; r < R; r++) {
    const zr = z + ((<usize>(r * C)) << 2);
    let j = 0;
    for (; j < C4; j += 4) {
      const o = (<usize>j) << 2;
      v128.store(zr + o, f32x4.add(v128.load(zr + o), v128.load(b + o)));
    }
    for (; j < C; j++) {
      const o = (<usize>j) << 2;
      store<f32>(zr + o, load<f32>(zr + o) + load<f32>(b + o));
    }
  }
}

/** z[r, j] += b[j] for every row r < R (float64). */
export function add_rows_f64(z: usize, R: i32, C: i32, b: usize): void {
  const C2 = C & ~1;
  for (let r = 0; r < R; r++) {
    const zr = z + ((<usize>(r * C)) << 3);
    let j = 0;
    for (; j < C2; j += 2) {
      const o = (<usize>j) << 3;
      v128.store(zr + o, f64x2.add(v128.load(zr + o), v128.load(b + o)));
    }
    if (j < C) {
      const o = (<usize>j) << 3;
      store<f64>(zr + o, load<f64>(zr + o) + load<f64>(b + o));
    }
  }
}

/** out[j] += Σ_r z[r, j], each column summed from 0 in row order (float32). */
export function sum_rows_f32(out: usize, z: usize, R: i32, C: i32): void {
  let j = 0;
  // a whole cache line (16 columns) per pass down the rows: a row stride of 4 KB maps every row to
  // the same cache set, so narrower passes would read each line from memory four times
  for (; j + 16 <= C; j += 16) {
    const o = (<usize>j) << 2;
    let s0 = f32x4.splat(0),
      s1 = f32x4.splat(0),
      s2 = f32x4.splat(0),
      s3 = f32x4.splat(0);
    for (let r = 0; r < R; r++) {
      const at = z + ((<usize>(r * C)) << 2) + o;
      s0 = f32x4.add(s0, v128.load(at));
      s1 = f32x4.add(s1, v128.load(at, 16));
      s2 = f32x4.add(s2, v128.load(at, 32));
      s3 = f32x4.add(s3, v128.load(at, 48));
    }
    v128.store(out + o, f32x4.add(v128.load(out + o), s0));
    v128.store(out + o, f32x4.add(v128.load(out + o, 16), s1), 16);
    v128.store(out + o, f32x4.add(v128.load(out + o, 32), s2), 32);
    v128.store(out + o, f32x4.add(v128.load(out + o, 48), s3), 48);
  }
  for (; j + 4 <= C; j += 4) {
    const o = (<usize>j) << 2;
    let s = f32x4.splat(0);
    for (let r = 0; r < R; r++) s = f32x4.add(s, v128.load(z + ((<usize>(r * C)) << 2) + o));
    v128.store(out + o, f32x4.add(v128.load(out + o), s));
  }
  for (; j < C; j++) {
    const o = (<usize>j) << 2;
    let s: f32 = 0;
    for (let r = 0; r < R; r++) s += load<f32>(z + ((<usize>(r * C)) << 2) + o);
    store<f32>(out + o, load<f32>(out + o) + s);
  }
}

/** out[j] += Σ_r z[r, j], each column summed from 0 in row order (float64). */
export function sum_rows_f64(out: usize, z: usize, R: i32, C: i32): void {
  let j = 0;
  for (; j + 8 <= C; j += 8) {
    const o = (<usize>j) << 3; // a whole cache line per pass, as in sum_rows_f32
    let s0 = f64x2.splat(0),
      s1 = f64x2.splat(0),
      s2 = f64x2.splat(0),
      s3 = f64x2.splat(0);
    for (let r = 0; r < R; r++) {
      const at = z + ((<usize>(r * C)) << 3) + o;
      s0 = f64x2.add(s0, v128.load(at));
      s1 = f64x2.add(s1, v128.load(at, 16));
      s2 = f64x2.add(s2, v128.load(at, 32));
      s3 = f64x2.add(s3, v128.load(at, 48));
    }
    v128.store(out + o, f64x2.add(v128.load(out + o), s0));
    v128.store(out + o, f64x2.add(v128.load(out + o, 16), s1), 16);
    v128.store(out + o, f64x2.add(v128.load(out + o, 32), s2), 32);
    v128.store(out + o, f64x2.add(v128.load(out + o, 48), s3), 48);
  }
  for (; j + 2 <= C; j += 2) {
    const o = (<usize>j) << 3;
    let s = f64x2.splat(0);
    for (let r = 0; r < R; r++) s = f64x2.add(s, v128.load(z + ((<usize>(r * C)) << 3) + o));
    v128.store(out + o, f64x2.add(v128.load(out + o), s));
  }
  if (j < C) {
    const o = (<usize>j) << 3;
    let s: f64 = 0;
    for (let r = 0; r < R; r++) s += load<f64>(z + ((<usize>(r * C)) << 3) + o);
    store<f64>(out + o, load<f64>(out + o) + s);
  }
}
