// HistogramObserver (observer.py): a running histogram of what passes through; its qparams come
// from the min/max that minimise the L2 quantization error over that histogram
// (_non_linear_param_search). Every step repeats Python's float32 tensor arithmetic (and its
// float32 comparisons against Python floats), so the chosen range and the qparams are bit-equal.
import { AssertionError, warn } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { arange, ones, tensor, zeros } from '../../../tensor/create';
import { float32, float64, qint32 } from '../../../tensor/dtype';
import { noGrad } from '../../../autograd/grad-mode';
import { ArgsOf, signature } from '../../../keywords';
import { UniformArgs, UniformQuantizationObserverBase, factoryOptions, formatValue } from './base';
import { checkedPerTensor } from './min-max';

export interface HistogramObserverArgs extends UniformArgs {
  bins?: number;
  upsampleRate?: number;
}
const HISTOGRAM = signature<HistogramObserverArgs>()([], ['bins', 'upsampleRate', 'dtype', 'qscheme', 'reduceRange', 'quantMin', 'quantMax', 'factoryKwargs', 'eps']);

const scalar = (t: Tensor): number => t.item() as number;

export class HistogramObserver extends UniformQuantizationObserverBase {
  bins: number;
  upsampleRate: number;
  /** 2 ** bits of the dtype: the number of quantized levels. */
  dstNbins: number;
  histogram!: Tensor;
  min_val!: Tensor;
  max_val!: Tensor;

  /** HistogramObserver(bins = 2048, upsampleRate = 128, dtype = quint8, qscheme = per_tensor_affine, reduceRange, quantMin, quantMax, factoryKwargs, eps), any by name. */
  constructor(...args: ArgsOf<typeof HISTOGRAM>) {
    const a = HISTOGRAM.bind('HistogramObserver', args);
    const { bins, upsampleRate, ...rest } = checkedPerTensor(a, "HistogramObserver's qscheme only support torch.per_tensor_symmetric                     and torch.per_tensor_affine.");
    super(rest);
    const factory = factoryOptions(a.factoryKwargs);
    this.bins = bins ?? 2048;
    this.registerBuffer('histogram', zeros([this.bins], factory));
    this.registerBuffer('min_val', tensor(Infinity, factory));
    this.registerBuffer('max_val', tensor(-Infinity, factory));
    this.dstNbins = 2 ** (this.dtype === qint32 ? 32 : 8);
    this.upsampleRate = upsampleRate ?? 128;
  }

  private _getNorm(deltaBegin: Tensor, deltaEnd: Tensor, density: Tensor): Tensor {
    const norm = deltaEnd.mul(deltaEnd).mul(deltaEnd).sub(deltaBegin.mul(deltaBegin).mul(deltaBegin)).div(3);
    return density.mul(norm);
  }

  /** The L2 quantization error of quantizing with bins nextStartBin..nextEndBin as the range. */
  private _computeQuantizationError(nextStartBin: number, nextEndBin: number): number {
    const binWidth = (scalar(this.max_val) - scalar(this.min_val)) / this.bins;
    const dstBinWidth = (binWidth * (nextEndBin - nextStartBin + 1)) / this.dstNbins;
    if (dstBinWidth === 0.0) return 0.0;
    const bins = this.bins;
    const f32 = { dtype: float32 };
    // Python's int64 arange times a float: float32 (the default dtype), exact for these integers
    const srcBinBegin = arange(bins).sub(nextStartBin).to(float32).mul(binWidth);
    const srcBinEnd = srcBinBegin.add(binWidth);
    const floorDiv = (t: Tensor) => t.div(dstBinWidth, { roundingMode: 'floor' }).clamp(0, this.dstNbins - 1);
    const dstBinOfBegin = floorDiv(srcBinBegin);
    const dstBinOfBeginCenter = dstBinOfBegin.add(0.5).mul(dstBinWidth);
    const dstBinOfEnd = floorDiv(srcBinEnd);
    const density = this.histogram.div(binWidth);
    let norm = zeros([bins], f32);
    norm = norm.add(this._getNorm(srcBinBegin.sub(dstBinOfBeginCenter), ones([bins], f32).mul(dstBinWidth / 2), density));
    const inner = this._getNorm(tensor(-dstBinWidth / 2, f32), tensor(dstBinWidth / 2, f32), density);
    norm = norm.add(dstBinOfEnd.sub(dstBinOfBegin).sub(1).mul(inner));
    const dstBinOfEndCenter = dstBinOfEnd.mul(dstBinWidth).add(dstBinWidth / 2);
    norm = norm.add(this._getNorm(tensor(-dstBinWidth / 2, f32), srcBinEnd.sub(dstBinOfEndCenter), density));
    return scalar(norm.sum());
  }

  /** The min and max (0-dim tensors) that minimise the quantization error, trimming outlier bins. */
  _nonLinearParamSearch(): [Tensor, Tensor] {
    if (this.histogram.shape[0] !== this.bins) throw new AssertionError('bins mistmatch');
    const binWidth = this.max_val.sub(this.min_val).div(this.bins);
    const total = scalar(this.histogram.sum());
    const cSum = this.histogram.cumsum(0).toTypedArray() as Float32Array;
    const stepsize = 1e-5;
    let [alpha, beta] = [0.0, 1.0];
    let [startBin, endBin] = [0, this.bins - 1];
    let normMin = Infinity;
    while (alpha < beta) {
      const nextAlpha = alpha + stepsize;
      const nextBeta = beta - stepsize;
      // Python compares float32 cumulative sums with Python floats: in float32
      const lowQuantile = Math.fround(nextAlpha * total);
      const highQuantile = Math.fround(nextBeta * total);
      let l = startBin;
      let r = endBin;
      while (l < endBin && cSum[l] < lowQuantile) l++;
      while (r > startBin && cSum[r] > highQuantile) r--;
      let [nextStartBin, nextEndBin] = [startBin, endBin];
      if (l - startBin > endBin - r) {
        nextStartBin = l;
        alpha = nextAlpha;
      } else {
        nextEndBin = r;
        beta = nextBeta;
      }
      if (nextStartBin === startBin && nextEndBin === endBin) continue;
      const norm = this._computeQuantizationError(nextStartBin, nextEndBin);
      if (norm > normMin) break;
      normMin = norm;
      startBin = nextStartBin;
      endBin = nextEndBin;
    }
    return [this.min_val.add(binWidth.mul(startBin)), this.min_val.add(binWidth.mul(endBin + 1))];
  }

  private _adjustMinMax(combinedMin: Tensor, combinedMax: Tensor, upsampleRate: number): [Tensor, Tensor, number, number] {
    const histBinWidth = this.max_val.sub(this.min_val).div(this.bins * upsampleRate);
    const span = histBinWidth.mul(this.bins);
    const downsampleRate = scalar(combinedMax.sub(combinedMin).div(span).ceil());
    const e = span.mul(downsampleRate).sub(combinedMax.sub(combinedMin));
    const startIdx = Math.trunc(scalar(this.min_val.sub(combinedMin).div(histBinWidth).round()));
    return [combinedMin, combinedMax.add(e), downsampleRate, startIdx];
  }

  private _combineHistograms(origHist: Tensor, newHist: Tensor, upsampleRate: number, downsampleRate: number, startIdx: number, nbins: number): Tensor {
    const upsampled = newHist.repeatInterleave(upsampleRate);
    const withOutputRange = zeros([nbins * downsampleRate], { device: origHist.device.type });
    withOutputRange.narrow(0, startIdx, nbins * upsampleRate).copy_(upsampled);
    const integral = withOutputRange.cumsum(0, { dtype: float64 }).slice(0, downsampleRate - 1, null, downsampleRate);
    const shifted = zeros([nbins], { device: origHist.device.type });
    shifted.narrow(0, 1, nbins - 1).copy_(integral.narrow(0, 0, nbins - 1));
    const interpolated = integral.sub(shifted).div(upsampleRate);
    return origHist.add(interpolated.to(float32));
  }

  /** Adds x to the histogram (rebinning it when x widens the range); returns x. */
  forward(xOrig: Tensor): Tensor {
    if (xOrig.numel() === 0) return xOrig;
    noGrad(() => {
      const x = xOrig.detach();
      const [minVal, maxVal] = [this.min_val, this.max_val];
      const sameValues = scalar(minVal) === scalar(maxVal);
      const uninitialized = scalar(minVal) === Infinity && scalar(maxVal) === -Infinity;
      if (uninitialized || sameValues) {
        const [min, max] = x.aminmax();
        minVal.resize_(min.shape).copy_(min);
        maxVal.resize_(max.shape).copy_(max);
        // Python passes int(min) and int(max) as histc's range
        this.histogram.copy_(x.histc(this.bins, { min: Math.trunc(scalar(min)), max: Math.trunc(scalar(max)) }));
        return;
      }
      const [newMin, newMax] = x.aminmax();
      let combinedMin = newMin.minimum(minVal);
      let combinedMax = newMax.maximum(maxVal);
      let downsampleRate: number;
      let startIdx: number;
      [combinedMin, combinedMax, downsampleRate, startIdx] = this._adjustMinMax(combinedMin, combinedMax, this.upsampleRate);
      let combined = x.histc(this.bins, { min: Math.trunc(scalar(combinedMin)), max: Math.trunc(scalar(combinedMax)) });
      if (scalar(combinedMin) === scalar(minVal) && scalar(combinedMax) === scalar(maxVal)) combined = combined.add(this.histogram);
      else combined = this._combineHistograms(combined, this.histogram, this.upsampleRate, downsampleRate, startIdx, this.bins);
      this.histogram.resize_(combined.shape).copy_(combined);
      minVal.resize_(combinedMin.shape).copy_(combinedMin);
      maxVal.resize_(combinedMax.shape).copy_(combinedMax);
    });
    return xOrig;
  }

  /** [scale, zeroPoint] of the error-minimising range (Python's defaults, with a warning, before any data). */
  calculateQparams(): [Tensor, Tensor] {
    const device = this.min_val.device.type;
    if (scalar(this.min_val) === Infinity && scalar(this.max_val) === -Infinity) {
      warn('must run observer before calling calculate_qparams.                                    Returning default scale and zero point ');
      return [tensor([1.0], { dtype: float32, device }), tensor([0], { device })];
    }
    if (this.bins !== this.histogram.shape[0]) throw new AssertionError('The number of bins in histogram should be equal to the number of bins supplied while making this observer');
    const [newMin, newMax] = noGrad(() => this._nonLinearParamSearch());
    return this._calculateQparams(newMin, newMax);
  }

  extraRepr(): string {
    return `min_val=${formatValue(this.min_val)}, max_val=${formatValue(this.max_val)}`;
  }
}
