// torch.utils.tensorboard's histograms: numpy.histogram's counting (explicit edges, or n equal bins
// over [min, max] or a range, with weights) and make_histogram's trimming of empty outer buckets.
import { ValueError } from '../../errors';

/** numpy.linspace(start, stop, num): start + i * step, the last edge exactly `stop`. */
function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** The first index whose element is > x (side='right') or >= x (side='left') in sorted `a`. */
function searchSorted(a: ArrayLike<number>, x: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side === 'right' ? a[mid] <= x : a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface HistogramResult {
  counts: Float64Array;
  edges: Float64Array;
}

/** numpy.histogram(values, bins) for increasing bin edges: the last bin is closed on the right. */
function histogramEdges(values: Float64Array, edges: Float64Array, weights: Float64Array | null): Float64Array {
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] >= edges[i - 1])) throw new ValueError('`bins` must increase monotonically, when an array');
  }
  const nBins = edges.length - 1;
  const counts = new Float64Array(nBins);
  const first = edges[0];
  const last = edges[nBins];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= first && v <= last)) continue;
    // the bin whose [left, right) holds v; the top edge belongs to the last bin
    const bin = Math.min(searchSorted(edges, v, 'right') - 1, nBins - 1);
    counts[bin] += weights ? weights[i] : 1;
  }
  return counts;
}

/**
 * numpy.histogram(values, bins=n, range): n equal bins; numpy computes each value's bin from its
 * offset and then corrects it against the edges, which this reproduces.
 */
function histogramUniform(values: Float64Array, n: number, range: readonly [number, number] | null, weights: Float64Array | null): HistogramResult {
  if (!Number.isInteger(n) || n < 1) throw new ValueError('`bins` must be positive, when an integer');
  let [first, last] = range ?? minMax(values);
  if (range && first > last) throw new ValueError('max must be larger than min in range parameter.');
  if (!Number.isFinite(first) || !Number.isFinite(last)) throw new ValueError(`autodetected range of [${first}, ${last}] is not finite`);
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const edges = linspace(first, last, n + 1);
  const counts = new Float64Array(n);
  const norm = n / (last - first);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= first && v <= last)) continue;
    let bin = Math.floor((v - first) * norm);
    if (bin === n) bin -= 1;
    if (v < edges[bin]) bin -= 1;
    else if (bin !== n - 1 && v >= edges[bin + 1]) bin += 1;
    counts[bin] += weights ? weights[i] : 1;
  }
  return { counts, edges };
}

function minMax(values: Float64Array): [number, number] {
  if (values.length === 0) return [0, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) return [NaN, NaN];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** numpy.histogram: `bins` is a bin count (with an optional range) or the increasing bin edges. */
export function numpyHistogram(values: Float64Array, bins: number | ArrayLike<number>, range: readonly [number, number] | null = null, weights: Float64Array | null = null): HistogramResult {
  if (typeof bins === 'number') return histogramUniform(values, bins, range, weights);
  const edges = Float64Array.from(bins);
  if (edges.length < 2) throw new ValueError('`bins` must have at least 2 edges');
  return { counts: histogramEdges(values, edges, weights), edges };
}

/** TensorBoard's HistogramProto fields. */
export interface HistogramProto {
  min: number;
  max: number;
  num: number;
  sum: number;
  sum_squares: number;
  bucket_limit: number[];
  bucket: number[];
}

/**
 * torch.utils.tensorboard.summary.make_histogram: counts in `bins`, merged down to `maxBins`, with
 * the empty buckets at either end dropped (one empty bucket stays before the first full one).
 */
export function makeHistogram(values: Float64Array, bins: number | ArrayLike<number>, maxBins: number | null = null): HistogramProto {
  if (values.length === 0) throw new ValueError('The input has no element.');
  let { counts, edges } = numpyHistogram(values, bins);
  const numBins = counts.length;
  if (maxBins !== null && numBins > maxBins) {
    const sub = Math.floor(numBins / maxBins);
    const merged = new Float64Array(Math.ceil(numBins / sub));
    counts.forEach((c, i) => (merged[Math.floor(i / sub)] += c));
    const limits = new Float64Array(merged.length + 1);
    for (let i = 0; i < merged.length; i++) limits[i] = edges[i * sub];
    limits[merged.length] = edges[edges.length - 1];
    counts = merged;
    edges = limits;
  }
  // numpy's searchsorted on the running count of non-empty buckets: the first and last full ones
  const cum = new Float64Array(counts.length);
  counts.forEach((c, i) => (cum[i] = (i > 0 ? cum[i - 1] : 0) + (c > 0 ? 1 : 0)));
  const start = searchSorted(cum, 0, 'right');
  const end = searchSorted(cum, cum[cum.length - 1] - 1, 'right') + 1;
  const kept = start > 0 ? Array.from(counts.subarray(start - 1, end)) : [0, ...counts.subarray(0, end)];
  const limits = Array.from(edges.subarray(start, end + 1));
  if (kept.length === 0 || limits.length === 0) throw new ValueError('The histogram is empty, please file a bug report.');
  let sum = 0;
  let sumSquares = 0;
  for (const v of values) {
    sum += v;
    sumSquares += v * v;
  }
  const [min, max] = minMax(values);
  return { min, max, num: values.length, sum, sum_squares: sumSquares, bucket_limit: limits, bucket: kept };
}

/** SummaryWriter's bins='tensorflow': edges growing by 10% from 1e-12 to 1e20, mirrored below 0. */
export const TENSORFLOW_BINS: readonly number[] = (() => {
  const pos: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) pos.push(v);
  return [...pos.map((v) => -v).reverse(), 0, ...pos];
})();
