// The download progress line on stderr, as torch.hub's fallback when tqdm is absent: a percentage
// when the size is known, a byte count otherwise; a line is written only when its text changes.
export class Progress {
  private done = 0;
  private shown = '';

  constructor(
    private readonly total: number | null,
    private readonly enabled: boolean,
  ) {}

  update(n: number): void {
    if (!this.enabled) return;
    this.done += n;
    const text = this.total ? `${((100 * this.done) / this.total).toFixed(1)}%` : `${this.done.toFixed(1)} bytes`;
    if (text === this.shown) return;
    this.shown = text;
    process.stderr.write(`\r${text}`);
  }

  close(): void {
    if (this.enabled && this.shown !== '') process.stderr.write('\n');
  }
}
