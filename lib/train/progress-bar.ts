// A one-line progress bar: "[=====>    ] 312/938 loss 0.4123 accuracy 0.8521 12s ETA 25s".
// On a terminal it redraws in place (at most every 100 ms); elsewhere (logs, CI) it prints only the
// final line, so output files stay readable.
import { checkKeywords, keysOf } from '../keywords';

export interface ProgressBarOptions {
  total?: number;
  /** text before the bar, e.g. "epoch 1/5" */
  label?: string;
  /** bar width in characters */
  width?: number;
  stream?: { write(s: string): unknown; isTTY?: boolean };
  /** wall clock in ms (tests pass a fake one) */
  now?: () => number;
}
const PROGRESS_BAR_KEYS = keysOf<ProgressBarOptions>()('total', 'label', 'width', 'stream', 'now');

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function formatValue(name: string, v: number): string {
  return /acc/.test(name) ? `${(100 * v).toFixed(2)}%` : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toFixed(4);
}

export class ProgressBar {
  readonly total?: number;
  label: string;
  private readonly width: number;
  private readonly stream: { write(s: string): unknown; isTTY?: boolean };
  private readonly now: () => number;
  private readonly start: number;
  private lastDraw = -Infinity;
  private lastLine = '';

  constructor(options: ProgressBarOptions = {}) {
    checkKeywords('ProgressBar', options, PROGRESS_BAR_KEYS);
    this.total = options.total;
    this.label = options.label ?? '';
    this.width = options.width ?? 25;
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? Date.now;
    this.start = this.now();
  }

  /** The line for `current` steps done with these values (no drawing). */
  render(current: number, values: Record<string, number> = {}, final = false): string {
    const elapsed = (this.now() - this.start) / 1000;
    const parts: string[] = this.label ? [this.label] : [];
    if (this.total) {
      const done = Math.min(1, current / this.total);
      const filled = Math.floor(done * this.width);
      const head = filled < this.width ? '>' : '';
      parts.push(`[${'='.repeat(filled)}${head}${' '.repeat(Math.max(0, this.width - filled - head.length))}]`);
      parts.push(`${current}/${this.total}`);
    } else {
      parts.push(`${current}`);
    }
    for (const [k, v] of Object.entries(values)) parts.push(`${k} ${formatValue(k, v)}`);
    parts.push(formatDuration(elapsed));
    if (!final && this.total && current > 0 && current < this.total) {
      parts.push(`ETA ${formatDuration((elapsed / current) * (this.total - current))}`);
    }
    return parts.join(' ');
  }

  /** Redraws the line (throttled) on a terminal; does nothing elsewhere. */
  update(current: number, values: Record<string, number> = {}): void {
    if (!this.stream.isTTY) return;
    const t = this.now();
    if (t - this.lastDraw < 100 && current !== this.total) return;
    this.lastDraw = t;
    this.draw(this.render(current, values));
  }

  /** Writes the final line and a newline. */
  done(current: number, values: Record<string, number> = {}): string {
    const line = this.render(current, values, true);
    if (this.stream.isTTY) this.draw(line);
    else this.stream.write(line);
    this.stream.write('\n');
    return line;
  }

  private draw(line: string): void {
    // pad over the previous line's tail instead of clearing (no ANSI codes needed)
    this.stream.write(`\r${line}${' '.repeat(Math.max(0, this.lastLine.length - line.length))}`);
    this.lastLine = line;
  }
}
