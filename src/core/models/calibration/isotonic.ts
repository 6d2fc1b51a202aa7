/**
 * Isotonic calibration: the non-decreasing step function of the decision value that best fits
 * the 0/1 targets in squared error (pool-adjacent-violators), evaluated by linear
 * interpolation between block centres and clipped outside the training range, as
 * scikit-learn's IsotonicRegression(out_of_bounds='clip').
 */

export interface IsotonicFit {
  /** Increasing decision-value knots. */
  x: number[];
  /** Calibrated probability at each knot (non-decreasing). */
  y: number[];
}

export function fitIsotonic(f: ArrayLike<number>, target: ArrayLike<number>): IsotonicFit {
  const n = f.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => f[i] - f[j] || i - j);
  // Merge equal decision values first (sklearn does the same), then run PAV on the blocks.
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (const i of order) {
    const last = xs.length - 1;
    if (last >= 0 && xs[last] === f[i]) {
      ys[last] += target[i];
      ws[last] += 1;
    } else {
      xs.push(f[i]);
      ys.push(target[i]);
      ws.push(1);
    }
  }
  for (let i = 0; i < ys.length; i++) ys[i] /= ws[i];
  const bx: number[] = [];
  const by: number[] = [];
  const bw: number[] = [];
  const bxw: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    by.push(ys[i]);
    bw.push(ws[i]);
    bxw.push(xs[i] * ws[i]);
    bx.push(xs[i]);
    while (by.length > 1 && by[by.length - 2] > by[by.length - 1]) {
      const w = bw.pop()! + bw[bw.length - 1];
      const yv = (by.pop()! * (w - bw[bw.length - 1]) + by[by.length - 1] * bw[bw.length - 1]) / w;
      const xw = bxw.pop()! + bxw[bxw.length - 1];
      bx.pop();
      by[by.length - 1] = yv;
      bw[bw.length - 1] = w;
      bxw[bxw.length - 1] = xw;
      bx[bx.length - 1] = xw / w;
    }
  }
  return { x: bx, y: by };
}

export function applyIsotonic(fit: IsotonicFit, v: number): number {
  const { x, y } = fit;
  const n = x.length;
  if (n === 0) return 0.5;
  if (v <= x[0]) return y[0];
  if (v >= x[n - 1]) return y[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= v) lo = mid;
    else hi = mid;
  }
  const t = (v - x[lo]) / (x[hi] - x[lo]);
  return y[lo] + t * (y[hi] - y[lo]);
}
