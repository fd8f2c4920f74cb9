// The per-call timing that bench/overhead and bench/func share: each case run `iters[i]` times in a
// row, best of `repeats` rounds, in microseconds per call; the same loop for the Python side.

/** Best-of-`repeats` microseconds per call of each case. */
export function bestMicros(cases: (() => unknown)[], iters: number[], repeats: number): number[] {
  return cases.map((fn, i) => {
    let best = Infinity;
    for (let r = 0; r < repeats; r++) {
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < iters[i]; k++) fn();
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e3 / iters[i]);
    }
    return best;
  });
}

/** Python that times its list `cases` the same way and prints the microseconds as one JSON line. */
export function pythonBestMicros(iters: number[], repeats: number): string {
  return `
out = []
for fn, n in zip(cases, ${JSON.stringify(iters)}):
    best = float('inf')
    for _ in range(${repeats}):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n)
    out.append(best * 1e6)
print(json.dumps(out))
`;
}
