/**
 * Platt scaling: P(y=1 | f) = 1 / (1 + exp(A f + B)) fitted by Newton's method with
 * backtracking on the regularised targets of Platt (1999), in the numerically safe form of
 * Lin, Lin & Weng (2007). scikit-learn's CalibratedClassifierCV(method='sigmoid') fits the
 * same objective (with a generic optimiser).
 */

export interface Sigmoid {
  a: number;
  b: number;
}

/** Fits A, B on decision values `f` and binary targets `pos` (true = positive). */
export function fitSigmoid(f: ArrayLike<number>, pos: ArrayLike<boolean>): Sigmoid {
  const n = f.length;
  let prior1 = 0;
  for (let i = 0; i < n; i++) if (pos[i]) prior1++;
  const prior0 = n - prior1;
  const hi = (prior1 + 1) / (prior1 + 2);
  const lo = 1 / (prior0 + 2);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = pos[i] ? hi : lo;
  let a = 0;
  let b = Math.log((prior0 + 1) / (prior1 + 1));
  const objective = (A: number, B: number): number => {
    let fval = 0;
    for (let i = 0; i < n; i++) {
      const fApB = f[i] * A + B;
      fval += fApB >= 0 ? t[i] * fApB + Math.log1p(Math.exp(-fApB)) : (t[i] - 1) * fApB + Math.log1p(Math.exp(fApB));
    }
    return fval;
  };
  let fval = objective(a, b);
  const sigma = 1e-12;
  for (let it = 0; it < 100; it++) {
    // Gradient and Hessian (plus a tiny ridge so H stays positive definite).
    let h11 = sigma;
    let h22 = sigma;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const fApB = f[i] * a + b;
      let p: number;
      let q: number;
      if (fApB >= 0) {
        const e = Math.exp(-fApB);
        p = e / (1 + e);
        q = 1 / (1 + e);
      } else {
        const e = Math.exp(fApB);
        p = 1 / (1 + e);
        q = e / (1 + e);
      }
      const d2 = p * q;
      h11 += f[i] * f[i] * d2;
      h22 += d2;
      h21 += f[i] * d2;
      const d1 = t[i] - p;
      g1 += f[i] * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    let improved = false;
    while (step >= 1e-10) {
      const na = a + step * dA;
      const nb = b + step * dB;
      const nf = objective(na, nb);
      if (nf < fval + 1e-4 * step * gd) {
        a = na;
        b = nb;
        fval = nf;
        improved = true;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  return { a, b };
}

export function applySigmoid(s: Sigmoid, f: number): number {
  const z = s.a * f + s.b;
  return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}
