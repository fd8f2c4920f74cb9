// The strong-Wolfe line search of LBFGS, as in PyTorch 1.13 (ported there from torch/optim's
// lswolfe.lua): bracketing, then zooming with cubic interpolation. Steps and directional
// derivatives are 0-dim tensors in Python (t, gtd), losses are floats: the scalar arithmetic goes
// through PyMath so that it rounds as Python's does (float32 parameters: float32 scalars).
import { Tensor } from '../tensor/tensor';
import { Py, PyMath, value } from './py-scalar';

const item = (x: Tensor): number => x.item() as number;

/** Minimizer of the cubic through (x1, f1, g1) and (x2, f2, g2), kept inside bounds. */
export function cubicInterpolate(m: PyMath, x1: Py, f1: Py, g1: Py, x2: Py, f2: Py, g2: Py, bounds?: [Py, Py]): Py {
  const [lo, hi] = bounds ?? (m.le(x1, x2) ? [x1, x2] : [x2, x1]);
  // d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2); d2_square = d1**2 - g1 * g2
  const d1 = m.sub(m.add(g1, g2), m.div(m.mul(3, m.sub(f1, f2)), m.sub(x1, x2)));
  const d2Square = m.sub(m.square(d1), m.mul(g1, g2));
  if (m.ge(d2Square, 0)) {
    const d2 = m.sqrt(d2Square);
    // x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)), or the same with 1 and 2 swapped
    const [a, ga, b, gb] = m.le(x1, x2) ? [x1, g1, x2, g2] : [x2, g2, x1, g1];
    const minPos = m.sub(b, m.mul(m.sub(b, a), m.div(m.sub(m.add(gb, d2), d1), m.add(m.sub(gb, ga), m.mul(2, d2)))));
    return m.min(m.max(minPos, lo), hi);
  }
  return m.div(m.add(lo, hi), 2);
}

export type Objective = (x: Tensor[], t: number, d: Tensor) => [number, Tensor];

/** Returns [f_new, g_new, t, function evaluations]; t and gtd are Python's 0-dim tensors or floats. */
export function strongWolfe(
  m: PyMath, obj: Objective, x: Tensor[], t: Py, d: Tensor, f: number, g: Tensor, gtd: Py,
  c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25,
): [number, Tensor, Py, number] {
  const dNorm = m.of(item(d.abs().max()));
  g = g.clone();
  let [fNew, gNew] = obj(x, value(t), d);
  let lsFuncEvals = 1;
  let gtdNew: Py = m.of(item(gNew.dot(d)));
  // f + c1 * t * gtd, the sufficient-decrease bound at step t
  const armijo = (step: Py) => m.add(f, m.mul(m.mul(c1, step), gtd));
  const curvature = m.mul(-c2, gtd);

  let tPrev: Py = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: Py[] = [];
  let bracketF: number[] = [];
  let bracketG: Tensor[] = [];
  let bracketGtd: Py[] = [];
  while (lsIter < maxLs) {
    if (m.gt(fNew, armijo(t)) || (lsIter > 1 && fNew >= fPrev)) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew.clone()], [gtdPrev, gtdNew]];
      break;
    }
    if (m.le(m.abs(gtdNew), curvature)) {
      [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (m.ge(gtdNew, 0)) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew.clone()], [gtdPrev, gtdNew]];
      break;
    }
    const minStep = m.add(t, m.mul(0.01, m.sub(t, tPrev)));
    const maxStep = m.mul(t, 10);
    const tmp = t;
    t = cubicInterpolate(m, tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew.clone();
    gtdPrev = gtdNew;
    [fNew, gNew] = obj(x, value(t), d);
    lsFuncEvals += 1;
    gtdNew = m.of(item(gNew.dot(d)));
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    [bracket, bracketF, bracketG] = [[0, t], [f, fNew], [g, gNew]];
  }

  // zoom: refine the bracket until a point satisfies the Wolfe conditions
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (m.lt(m.mul(m.abs(m.sub(bracket[1], bracket[0])), dNorm), toleranceChange)) break;
    t = cubicInterpolate(m, bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    const bMax = m.max(bracket[0], bracket[1]);
    const bMin = m.min(bracket[0], bracket[1]);
    const eps = m.mul(0.1, m.sub(bMax, bMin));
    if (m.lt(m.min(m.sub(bMax, t), m.sub(t, bMin)), eps)) {
      if (insufProgress || m.ge(t, bMax) || m.le(t, bMin)) {
        t = m.lt(m.abs(m.sub(t, bMax)), m.abs(m.sub(t, bMin))) ? m.sub(bMax, eps) : m.add(bMin, eps);
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    [fNew, gNew] = obj(x, value(t), d);
    lsFuncEvals += 1;
    gtdNew = m.of(item(gNew.dot(d)));
    lsIter += 1;
    if (m.gt(fNew, armijo(t)) || fNew >= bracketF[lowPos]) {
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew.clone();
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (m.le(m.abs(gtdNew), curvature)) {
        done = true;
      } else if (m.ge(m.mul(gtdNew, m.sub(bracket[highPos], bracket[lowPos])), 0)) {
        bracket[highPos] = bracket[lowPos];
        bracketF[highPos] = bracketF[lowPos];
        bracketG[highPos] = bracketG[lowPos];
        bracketGtd[highPos] = bracketGtd[lowPos];
      }
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew.clone();
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return [bracketF[lowPos], bracketG[lowPos], bracket[lowPos], lsFuncEvals];
}
