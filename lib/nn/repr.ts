// PyTorch's module repr: "Name(extra)" on one line, or extra lines and "(key): child" lines indented
// by two spaces, children's own lines indented under them.

/** Indents every line but the first by n spaces (PyTorch's _addindent). */
export function indentTail(text: string, n: number): string {
  const lines = text.split('\n');
  if (lines.length === 1) return text;
  const pad = ' '.repeat(n);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}

export function moduleRepr(name: string, extra: string, children: [string, { toString(): string } | null][]): string {
  const extraLines = extra ? extra.split('\n') : [];
  const childLines = children.map(([key, m]) => `(${key}): ${indentTail(String(m), 2)}`);
  const lines = [...extraLines, ...childLines];
  if (lines.length === 0) return `${name}()`;
  if (extraLines.length === 1 && childLines.length === 0) return `${name}(${extraLines[0]})`;
  return `${name}(\n  ${lines.join('\n  ')}\n)`;
}
