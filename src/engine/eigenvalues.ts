/**
 * The eigenvalues of a real non-symmetric matrix with a bound on the work:
 * ml-matrix's own routine (JAMA's `orthes` and `hqr2`, as in ml-matrix 6.12.1
 * `src/dc/evd.js`) with the eigenvectors left out and its QR iteration
 * stopped after LAPACK's bound (`dlahqr`'s 30·max(10, n) sweeps without a
 * deflation), or at once on a sweep that cannot change anything, where it
 * gives up instead of looping forever and runs again guarded (see `Variant`).
 *
 * ml-matrix iterates without a bound: its shifted QR iteration tries an
 * exceptional shift at sweeps 10 and 30 only, and on some finite matrices
 * it never deflates (a Jacobian of the five Gaussians at width 8 does; the
 * block it stalls on is kept in tests/eigenvalues_test.ts). Wherever ml-matrix returns within the
 * bound, this returns the same numbers to the bit: the same operations in
 * the same order on the same Hessenberg matrix (the eigenvector
 * accumulation the original interleaves never feeds back into it).
 *
 * Copied from ml-matrix (MIT licence, copyright (c) 2014 Michaël Zasso),
 * itself a port of JAMA (public domain).
 *
 * @module
 */

/** The most shifted QR sweeps without a deflation, per eigenvalue, for an n×n matrix (LAPACK's `dlahqr`). */
export function maxSweeps(n: number): number {
  return 30 * Math.max(10, n);
}

/** Eigenvalues as real and imaginary parts (a complex pair in adjacent places, positive part first). */
export interface Eigenvalues {
  readonly real: number[];
  readonly imaginary: number[];
}

/**
 * The eigenvalues of a square matrix given as rows, or undefined where the
 * QR iteration does not deflate within {@link maxSweeps}. The matrix should
 * be finite and not symmetric (ml-matrix takes the symmetric path for a
 * symmetric one; so should the caller).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { boundedEigenvalues } from "./eigenvalues.ts";
 * // A rotation by a quarter turn: ±i.
 * assertEquals(boundedEigenvalues([[0, -1], [1, 0]]), { real: [0, 0], imaginary: [1, -1] });
 * ```
 */
export function boundedEigenvalues(rows: readonly (readonly number[])[]): Eigenvalues | undefined {
  const n = rows.length;
  for (const row of rows) {
    if (row.length !== n) {
      throw new RangeError(`the matrix is not square: ${n} rows of ${row.length}`);
    }
  }
  const hessenberg = rows.map((row) => Float64Array.from(row));
  orthes(n, hessenberg);
  for (const variant of ["jama", "guarded"] as const) {
    const H = hessenberg.map((row) => row.slice());
    const d = new Float64Array(n);
    const e = new Float64Array(n);
    if (hqr(n, d, e, H, variant) && d.every(Number.isFinite) && e.every(Number.isFinite)) {
      return { real: Array.from(d), imaginary: Array.from(e) };
    }
  }
  return undefined;
}

/** Reduces H to upper Hessenberg form by orthogonal similarity (JAMA's `orthes`, without V). */
function orthes(n: number, H: Float64Array[]): void {
  const low = 0;
  const high = n - 1;
  const ort = new Float64Array(n);
  for (let m = low + 1; m <= high - 1; m++) {
    let scale = 0;
    for (let i = m; i <= high; i++) scale = scale + Math.abs(H[i][m - 1]);
    if (scale === 0) continue;
    let h = 0;
    for (let i = high; i >= m; i--) {
      ort[i] = H[i][m - 1] / scale;
      h += ort[i] * ort[i];
    }
    let g = Math.sqrt(h);
    if (ort[m] > 0) g = -g;
    h = h - ort[m] * g;
    ort[m] = ort[m] - g;
    for (let j = m; j < n; j++) {
      let f = 0;
      for (let i = high; i >= m; i--) f += ort[i] * H[i][j];
      f = f / h;
      for (let i = m; i <= high; i++) H[i][j] = H[i][j] - f * ort[i];
    }
    for (let i = 0; i <= high; i++) {
      let f = 0;
      for (let j = high; j >= m; j--) f += ort[j] * H[i][j];
      f = f / h;
      for (let j = m; j <= high; j++) H[i][j] = H[i][j] - f * ort[j];
    }
    ort[m] = scale * ort[m];
    H[m][m - 1] = scale * g;
  }
}

/**
 * The iteration as JAMA (and ml-matrix) writes it, or guarded where that one
 * stalls. JAMA stops a double-shift step when the shift `x` is 0, so that a
 * block whose last diagonal entry is exactly 0 (a dead unit's row and column
 * of a Jacobian) never changes; and it deflates only on a test relative to
 * the block's own diagonal, so that a block of entries near the bottom of the
 * double range (1e-270 in a matrix of norm 1) never deflates: its shifts
 * underflow to 0. The guarded iteration skips only a column that is already
 * zero (EISPACK's `hqr`, from which JAMA was ported) and also deflates a
 * subdiagonal entry below ε times the matrix's norm, the normwise test (a
 * change no larger than rounding already makes), so such a block's
 * eigenvalues come out as 0 to within ε·‖H‖.
 */
type Variant = "jama" | "guarded";

/**
 * The eigenvalues of the Hessenberg H into d (real parts) and e (imaginary
 * ones), JAMA's `hqr2` without the eigenvectors; false where an eigenvalue
 * takes more than {@link maxSweeps} sweeps.
 */
function hqr(
  nn: number,
  d: Float64Array,
  e: Float64Array,
  H: Float64Array[],
  variant: Variant,
): boolean {
  let n = nn - 1;
  const low = 0;
  const high = nn - 1;
  const eps = Number.EPSILON;
  const limit = maxSweeps(nn);
  let exshift = 0;
  let norm = 0;
  let p = 0;
  let q = 0;
  let r = 0;
  let s = 0;
  let z = 0;
  let iter = 0;
  let w = 0;
  let x = 0;
  let y = 0;

  for (let i = 0; i < nn; i++) {
    if (i < low || i > high) {
      d[i] = H[i][i];
      e[i] = 0;
    }
    for (let j = Math.max(i - 1, 0); j < nn; j++) norm = norm + Math.abs(H[i][j]);
  }

  while (n >= low) {
    let l = n;
    while (l > low) {
      s = Math.abs(H[l - 1][l - 1]) + Math.abs(H[l][l]);
      if (s === 0) s = norm;
      if (Math.abs(H[l][l - 1]) < eps * s) break;
      if (variant === "guarded" && Math.abs(H[l][l - 1]) < eps * norm) break;
      l--;
    }

    if (l === n) {
      H[n][n] = H[n][n] + exshift;
      d[n] = H[n][n];
      e[n] = 0;
      n--;
      iter = 0;
    } else if (l === n - 1) {
      w = H[n][n - 1] * H[n - 1][n];
      p = (H[n - 1][n - 1] - H[n][n]) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      H[n][n] = H[n][n] + exshift;
      H[n - 1][n - 1] = H[n - 1][n - 1] + exshift;
      x = H[n][n];
      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        d[n - 1] = x + z;
        d[n] = d[n - 1];
        if (z !== 0) d[n] = x - w / z;
        e[n - 1] = 0;
        e[n] = 0;
        x = H[n][n - 1];
        s = Math.abs(x) + Math.abs(z);
        p = x / s;
        q = z / s;
        r = Math.sqrt(p * p + q * q);
        p = p / r;
        q = q / r;
        for (let j = n - 1; j < nn; j++) {
          z = H[n - 1][j];
          H[n - 1][j] = q * z + p * H[n][j];
          H[n][j] = q * H[n][j] - p * z;
        }
        for (let i = 0; i <= n; i++) {
          z = H[i][n - 1];
          H[i][n - 1] = q * z + p * H[i][n];
          H[i][n] = q * H[i][n] - p * z;
        }
      } else {
        d[n - 1] = x + p;
        d[n] = x + p;
        e[n - 1] = z;
        e[n] = -z;
      }
      n = n - 2;
      iter = 0;
    } else {
      if (iter >= limit) return false;
      x = H[n][n];
      y = 0;
      w = 0;
      if (l < n) {
        y = H[n - 1][n - 1];
        w = H[n][n - 1] * H[n - 1][n];
      }
      if (iter === 10) {
        exshift += x;
        for (let i = low; i <= n; i++) H[i][i] = H[i][i] - x;
        s = Math.abs(H[n][n - 1]) + Math.abs(H[n - 1][n - 2]);
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      if (iter === 30) {
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = low; i <= n; i++) H[i][i] = H[i][i] - s;
          exshift += s;
          x = y = w = 0.964;
        }
      }
      iter = iter + 1;

      let m = n - 2;
      while (m >= l) {
        z = H[m][m];
        r = x - z;
        s = y - z;
        p = (r * s - w) / H[m + 1][m] + H[m][m + 1];
        q = H[m + 1][m + 1] - z - r - s;
        r = H[m + 2][m + 1];
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p = p / s;
        q = q / s;
        r = r / s;
        if (m === l) break;
        if (
          Math.abs(H[m][m - 1]) * (Math.abs(q) + Math.abs(r)) <
            eps * (Math.abs(p) * (Math.abs(H[m - 1][m - 1]) + Math.abs(z) +
                Math.abs(H[m + 1][m + 1])))
        ) break;
        m--;
      }

      for (let i = m + 2; i <= n; i++) {
        H[i][i - 2] = 0;
        if (i > m + 2) H[i][i - 3] = 0;
      }

      for (let k = m; k <= n - 1; k++) {
        const notlast = k !== n - 1;
        if (k !== m) {
          p = H[k][k - 1];
          q = H[k + 1][k - 1];
          r = notlast ? H[k + 2][k - 1] : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x !== 0) {
            p = p / x;
            q = q / x;
            r = r / x;
          }
        }
        if (variant === "guarded") {
          // EISPACK tests only the new column, and skips it: the step goes on.
          if (k !== m && x === 0) continue;
        } else if (x === 0) {
          // A zero shift past the last exceptional one changes nothing: JAMA would loop forever.
          if (k === m && iter > 30) return false;
          break;
        }
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s !== 0) {
          if (k !== m) H[k][k - 1] = -s * x;
          else if (l !== m) H[k][k - 1] = -H[k][k - 1];
          p = p + s;
          x = p / s;
          y = q / s;
          z = r / s;
          q = q / p;
          r = r / p;
          for (let j = k; j < nn; j++) {
            p = H[k][j] + q * H[k + 1][j];
            if (notlast) {
              p = p + r * H[k + 2][j];
              H[k + 2][j] = H[k + 2][j] - p * z;
            }
            H[k][j] = H[k][j] - p * x;
            H[k + 1][j] = H[k + 1][j] - p * y;
          }
          for (let i = 0; i <= Math.min(n, k + 3); i++) {
            p = x * H[i][k] + y * H[i][k + 1];
            if (notlast) {
              p = p + z * H[i][k + 2];
              H[i][k + 2] = H[i][k + 2] - p * r;
            }
            H[i][k] = H[i][k] - p;
            H[i][k + 1] = H[i][k + 1] - p * q;
          }
        }
      }
    }
  }
  return true;
}
