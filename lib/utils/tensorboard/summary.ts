// torch.utils.tensorboard.summary: the Summary messages a SummaryWriter writes, as plain objects
// with TensorBoard's field names (see schema.ts), built as PyTorch builds them.
import { AssertionError, ValueError } from '../../errors';
import { HistogramProto, makeHistogram, numpyHistogram } from './histogram';
import { imageMessage, toImage } from './image';
import { encode } from './schema';
import { Values, ValuesLike, toValues } from './values';

export type SummaryObject = { value: Record<string, unknown>[] };
export { imageBoxes, drawBoxes } from './boxes';
export { mesh } from './mesh';

const single = (value: Record<string, unknown>): SummaryObject => ({ value: [value] });
// proto3 leaves empty bytes out, as Python's serializer does
const pluginMetadata = (pluginName: string, content?: Uint8Array) => ({ plugin_data: { plugin_name: pluginName, ...(content?.length ? { content } : {}) } });

/** summary.scalar: simple_value, or with newStyle a float (doublePrecision: double) tensor for the scalars plugin. */
export function scalar(name: string, value: ValuesLike, newStyle = false, doublePrecision = false): SummaryObject {
  const v = toValues(value);
  if (v.data.length !== 1) {
    const ndim = v.shape.filter((d) => d !== 1).length;
    throw new AssertionError(`Tensor should contain one element (0 dimensions). Was given size: ${v.data.length} and ${ndim} dimensions.`);
  }
  const x = v.data[0];
  if (!newStyle) return single({ tag: name, simple_value: x });
  const tensor = doublePrecision ? { double_val: [x], dtype: 'DT_DOUBLE' } : { float_val: [x], dtype: 'DT_FLOAT' };
  return single({ tag: name, tensor, metadata: pluginMetadata('scalars') });
}

/** summary.histogram_raw */
export function histogramRaw(name: string, hist: HistogramProto): SummaryObject {
  return single({ tag: name, histo: hist });
}

/** summary.histogram: the values' histogram over `bins` (a count or the edges), at most maxBins buckets. */
export function histogram(name: string, values: ValuesLike, bins: number | ArrayLike<number>, maxBins: number | null = null): SummaryObject {
  return histogramRaw(name, makeHistogram(toValues(values).data, bins, maxBins));
}

/** summary.image: a PNG of the image (dataformats 'CHW', 'HWC', 'HW' or a batch 'NCHW'/'NHWC', tiled). */
export function image(tag: string, tensor: ValuesLike, dataformats = 'NCHW'): SummaryObject {
  return single({ tag, image: imageMessage(toImage(tensor, dataformats)) });
}

/** summary.text: a one-element string tensor for the text plugin, under `<tag>/text_summary`. */
export function text(tag: string, textString: string): SummaryObject {
  const tensor = { dtype: 'DT_STRING', string_val: [Buffer.from(textString, 'utf8')], tensor_shape: { dim: [{ size: 1 }] } };
  return single({ tag: `${tag}/text_summary`, metadata: pluginMetadata('text', encode('tensorboard.TextPluginData', { version: 0 })), tensor });
}

/** custom_scalars' layout: { category: { chartTitle: ['Multiline', tags] | ['Margin', [value, lower, upper]] } } */
export type CustomScalarLayout = Record<string, Record<string, [string, string[]]>>;

/** summary.custom_scalars: the layout for the custom scalars plugin. */
export function customScalars(layout: CustomScalarLayout): SummaryObject {
  const category = Object.entries(layout).map(([title, charts]) => ({
    title,
    chart: Object.entries(charts).map(([chartTitle, [kind, tags]]) => {
      if (kind !== 'Margin') return { title: chartTitle, multiline: { tag: tags } };
      if (tags.length !== 3) throw new AssertionError('');
      return { title: chartTitle, margin: { series: [{ value: tags[0], lower: tags[1], upper: tags[2] }] } };
    }),
  }));
  const tensor = { dtype: 'DT_STRING', string_val: [encode('tensorboard.Layout', { category })], tensor_shape: {} };
  return single({ tag: 'custom_scalars__config__', tensor, metadata: pluginMetadata('custom_scalars') });
}

/** The PR-curve plugin's [6, numThresholds] float tensor (tp, fp, tn, fn, precision, recall). */
function prCurveSummary(tag: string, rows: Float64Array[], numThresholds: number): SummaryObject {
  const n = Math.min(numThresholds, 127);
  const tensor = { dtype: 'DT_FLOAT', float_val: rows.flatMap((r) => Array.from(r)), tensor_shape: { dim: [{ size: rows.length }, { size: rows[0].length }] } };
  return single({ tag, metadata: pluginMetadata('pr_curves', encode('tensorboard.PrCurvePluginData', { version: 0, num_thresholds: n })), tensor });
}

/** summary.compute_curve: counts of predictions bucketed into numThresholds thresholds. */
function computeCurve(labels: Float64Array, predictions: Values, numThresholds: number, weights: Float64Array | number): Float64Array[] {
  const MINIMUM_COUNT = 1e-7;
  // np.int32(np.floor(p * (n - 1))), in float32 for float32 predictions
  const scaled = (p: number): number => (predictions.isFloat32 ? Math.fround(p * (numThresholds - 1)) : p * (numThresholds - 1));
  const buckets = predictions.data.map((p) => Math.floor(scaled(p)) | 0);
  const w = (i: number): number => (typeof weights === 'number' ? weights : weights[i]);
  const range = [0, numThresholds - 1] as const;
  const tpB = numpyHistogram(buckets, numThresholds, range, labels.map((l, i) => l * w(i))).counts;
  const fpB = numpyHistogram(buckets, numThresholds, range, labels.map((l, i) => (1 - l) * w(i))).counts;
  const reverseCumsum = (a: Float64Array): Float64Array => {
    const out = new Float64Array(a.length);
    for (let i = a.length - 1, s = 0; i >= 0; i--) out[i] = s += a[i];
    return out;
  };
  const tp = reverseCumsum(tpB);
  const fp = reverseCumsum(fpB);
  const tn = fp.map((v) => fp[0] - v);
  const fn = tp.map((v) => tp[0] - v);
  const precision = tp.map((v, i) => v / Math.max(MINIMUM_COUNT, v + fp[i]));
  const recall = tp.map((v, i) => v / Math.max(MINIMUM_COUNT, v + fn[i]));
  return [tp, fp, tn, fn, precision, recall];
}

/** summary.pr_curve: labels (0/1) against predicted probabilities. */
export function prCurve(tag: string, labels: ValuesLike, predictions: ValuesLike, numThresholds = 127, weights: ValuesLike | null = null): SummaryObject {
  const n = Math.min(numThresholds, 127);
  const w = weights === null ? 1 : toValues(weights).data;
  return prCurveSummary(tag, computeCurve(toValues(labels).data, toValues(predictions), n, w), n);
}

/** summary.pr_curve_raw: the curve's six rows as given. */
export function prCurveRaw(tag: string, rows: ValuesLike[], numThresholds = 127): SummaryObject {
  const data = rows.map((r) => toValues(r).data);
  if (new Set(data.map((r) => r.length)).size !== 1) throw new ValueError('all input arrays must have the same shape');
  return prCurveSummary(tag, data, numThresholds);
}
