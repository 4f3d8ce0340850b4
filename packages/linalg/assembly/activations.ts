/**
 * float32 activations with WebAssembly SIMD, four lanes at a time.
 */

// Elementwise: y = tanh(x) and y = σ(x) over n floats (x and y may be the same array).
//
// tanh is Eigen's float rational approximation, p(x)/q(x) with x clamped to ±7.905311 (where tanh
// rounds to ±1 in float32): a few ulp from the correctly rounded value, four lanes at a time.
// σ(x) = ½ + ½·tanh(x/2), an exact identity: σ is as accurate as tanh in absolute terms (so a σ of
// 2e-9 may come out as 0).

const CLAMP: f32 = 7.905311107635498;
const A1: f32 = 4.89352455891786e-3;
const A3: f32 = 6.37261928875436e-4;
const A5: f32 = 1.48572235717979e-5;
const A7: f32 = 5.12229709037114e-8;
const A9: f32 = -8.60467152213735e-11;
const A11: f32 = 2.00018790482477e-13;
const A13: f32 = -2.76076847742355e-16;
const B0: f32 = 4.89352518554385e-3;
const B2: f32 = 2.268434632439e-3;
const B4: f32 = 1.18534705686654e-4;
const B6: f32 = 1.19825839466702e-6;

export function tanh4(x: v128): v128 {
  const tiny = f32x4.lt(f32x4.abs(x), f32x4.splat(0.0004)); // tanh(x) = x to float32 precision
  const z = f32x4.min(f32x4.max(x, f32x4.splat(-CLAMP)), f32x4.splat(CLAMP));
  const z2 = f32x4.mul(z, z);
  let p = f32x4.add(f32x4.mul(z2, f32x4.splat(A13)), f32x4.splat(A11));
  p = f32x4.add(f32x4.mul(z2, p), f32x4.splat(A9));
  p = f32x4.add(f32x4.mul(z2, p), f32x4.splat(A7));
  p = f32x4.add(f32x4.mul(z2, p), f32x4.splat(A5));
  p = f32x4.add(f32x4.mul(z2, p), f32x4.splat(A3));
  p = f32x4.add(f32x4.mul(z2, p), f32x4.splat(A1));
  p = f32x4.mul(z, p);
  let q = f32x4.add(f32x4.mul(z2, f32x4.splat(B6)), f32x4.splat(B4));
  q = f32x4.add(f32x4.mul(z2, q), f32x4.splat(B2));
  q = f32x4.add(f32x4.mul(z2, q), f32x4.splat(B0));
  return v128.bitselect(x, f32x4.div(p, q), tiny);
}

export function tanh_f32(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, tanh4(v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(y + o, f32x4.extract_lane(tanh4(f32x4.splat(load<f32>(x + o))), 0));
  }
}

export function sigmoid_f32(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, sigmoid4(v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const t = f32x4.extract_lane(tanh4(f32x4.splat(0.5 * load<f32>(x + o))), 0);
    store<f32>(y + o, 0.5 + 0.5 * t);
  }
}

/** σ(x) = ½ + ½·tanh(x/2), four lanes. */
export function sigmoid4(x: v128): v128 {
  const half = f32x4.splat(0.5);
  return f32x4.add(half, f32x4.mul(half, tanh4(f32x4.mul(half, x))));
}
