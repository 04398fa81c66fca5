/** Dense-vector helpers over Float32Array rows; all tolerate zero vectors (no NaN). */

export function dot(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  length: number,
): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += a[aOffset + i]! * b[bOffset + i]!;
  return sum;
}

/** Scales in place to unit length; a zero (or non-finite) vector becomes all zeros. */
export function normalise(v: Float32Array): Float32Array {
  const norm = Math.sqrt(dot(v, 0, v, 0, v.length));
  const scale = norm > 1e-12 && Number.isFinite(norm) ? 1 / norm : 0;
  for (let i = 0; i < v.length; i++) v[i] = v[i]! * scale;
  return v;
}

/** `target += weight * source[offset .. offset + target.length]`. */
export function addScaled(target: Float32Array, source: Float32Array, offset: number, weight: number): void {
  for (let i = 0; i < target.length; i++) target[i] = target[i]! + weight * source[offset + i]!;
}

/** Removes the component along the unit vector `direction`, in place. */
export function reject(v: Float32Array, direction: Float32Array): Float32Array {
  const along = dot(v, 0, direction, 0, v.length);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! - along * direction[i]!;
  return v;
}
