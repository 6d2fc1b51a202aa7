/**
 * Limited-memory BFGS (Nocedal 1980) with a backtracking Armijo line search, for smooth
 * convex objectives such as the multinomial logistic loss. Asynchronous so that the caller
 * can yield, report progress and honour cancellation between iterations.
 */

export interface LbfgsOptions {
  maxIter: number;
  /** Stop when max|g| <= tol * max(1, max|g0|). */
  tol: number;
  /** Curvature pairs kept. */
  memory?: number;
  /** Called after every iteration; may throw to cancel. */
  onIteration?: (iter: number, f: number, gmax: number) => Promise<void> | void;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  converged: boolean;
}

/** `evaluate(x, grad)` returns f(x) and writes the gradient into grad. */
export async function lbfgs(evaluate: (x: Float64Array, g: Float64Array) => number, x0: Float64Array, o: LbfgsOptions): Promise<LbfgsResult> {
  const n = x0.length;
  const m = o.memory ?? 10;
  const x = new Float64Array(x0);
  const g = new Float64Array(n);
  let f = evaluate(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const gmax0 = Math.max(1, maxAbs(g));
  let iter = 0;
  let converged = maxAbs(g) <= o.tol * gmax0;
  while (!converged && iter < o.maxIter) {
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], d);
      axpy(-alpha[k], Y[k], d);
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      const scale = 1 / Math.max(1e-12, Math.sqrt(dot(g, g)));
      for (let i = 0; i < n; i++) d[i] *= scale;
    }
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dot(Y[k], d);
      axpy(alpha[k] - beta, S[k], d);
    }
    let gd = dot(g, d);
    if (gd >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      gd = dot(g, d);
    }
    let step = 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = evaluate(xNew, gNew);
      if (fNew <= f + 1e-4 * step * gd) break;
      step *= 0.5;
    }
    if (!(fNew < f)) {
      converged = true; // no progress possible at machine precision
      break;
    }
    const s = S.length === m ? S.shift()! : new Float64Array(n);
    const y = Y.length === m ? Y.shift()! : new Float64Array(n);
    if (rho.length === m) rho.shift();
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    x.set(xNew);
    g.set(gNew);
    const relDecrease = (f - fNew) / Math.max(Math.abs(f), Math.abs(fNew), 1);
    f = fNew;
    iter++;
    const gmax = maxAbs(g);
    converged = gmax <= o.tol * gmax0 || relDecrease < 1e-10;
    await o.onIteration?.(iter, f, gmax);
  }
  return { x, f, iterations: iter, converged };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}
