// PyTorch's _Formatter: one element style and one column width for a whole tensor (or for the
// edge items of a summarised one), so that every column lines up.
import { formatExp, formatFixed } from './pyfloat';
import { PrintOptions } from './options';

export interface Formatter {
  /** the column width: every formatted element is right-aligned to it */
  readonly width: number;
}

/** Integer and bool tensors: Python's str() of each value, right-aligned. */
export class TextFormatter implements Formatter {
  readonly width: number;
  constructor(texts: readonly string[]) {
    this.width = texts.reduce((w, s) => Math.max(w, s.length), 1);
  }
  format(text: string): string {
    return text.padStart(this.width);
  }
}

/**
 * Floating tensors. Int mode when every finite value is integral ('3.'), otherwise fixed-point
 * with `precision` digits; scientific when magnitudes span more than 1000x, exceed 1e8, or (for
 * non-integral values) go below 1e-4. nan, inf and zeros do not take part in the choice.
 */
export class FloatFormatter implements Formatter {
  readonly width: number = 1;
  readonly intMode: boolean = true;
  readonly sciMode: boolean = false;
  private readonly precision: number;

  constructor(values: ArrayLike<number>, options: PrintOptions) {
    this.precision = options.precision;
    const finite: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== 0 && Number.isFinite(v)) finite.push(v);
    }
    // PyTorch returns before applying a forced sci_mode when there is nothing finite and nonzero.
    if (finite.length === 0) return;

    let min = Infinity;
    let max = 0;
    for (const v of finite) {
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
      if (this.intMode && v !== Math.ceil(v)) this.intMode = false;
    }
    const spread = max / min > 1000 || max > 1e8;
    this.sciMode = this.intMode ? spread : spread || min < 1e-4;

    // The width is measured in the automatic style, even if options.sciMode then overrides it.
    let width = 1;
    for (const v of finite) {
      const text = this.sciMode ? formatExp(v, this.precision) : this.intMode ? `${formatFixed(v, 0)}.` : formatFixed(v, this.precision);
      width = Math.max(width, text.length);
    }
    this.width = width;
    if (options.sciMode !== null) this.sciMode = options.sciMode;
  }

  format(v: number): string {
    let text: string;
    if (this.sciMode) text = formatExp(v, this.precision);
    else if (this.intMode) text = formatFixed(v, 0) + (Number.isFinite(v) ? '.' : '');
    else text = formatFixed(v, this.precision);
    return text.padStart(this.width);
  }
}
