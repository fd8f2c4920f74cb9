// torchvision's VisionDataset.__repr__ (with StandardTransform's): the header, the body lines
// indented by 4, then repr(self.transforms), of which Python indents only the first line (the
// repr is one multi-line entry of the body), each transform's lines aligned under its head.

export interface VisionReprParts {
  length: number;
  /** null: no root (FakeData) */
  root: string | null;
  /** extra_repr() lines (MNIST's Split) */
  extra?: string[];
  transform?: unknown;
  targetTransform?: unknown;
}

/** Python's _format_transform_repr: `head` before the first line, the rest indented to match. */
function formatTransform(transform: unknown, head: string): string[] {
  const [first, ...rest] = String(transform).split('\n');
  return [`${head}${first}`, ...rest.map((line) => `${' '.repeat(head.length)}${line}`)];
}

/** The repr of a torchvision dataset of class `name`. */
export function visionDatasetRepr(name: string, parts: VisionReprParts): string {
  const body = [`Number of datapoints: ${parts.length}`];
  if (parts.root !== null) body.push(`Root location: ${parts.root}`);
  body.push(...(parts.extra ?? []));
  // VisionDataset wraps transform / target_transform in a StandardTransform when either is given.
  if (parts.transform || parts.targetTransform) {
    const standard = ['StandardTransform'];
    if (parts.transform) standard.push(...formatTransform(parts.transform, 'Transform: '));
    if (parts.targetTransform) standard.push(...formatTransform(parts.targetTransform, 'Target transform: '));
    body.push(standard.join('\n'));
  }
  return [`Dataset ${name}`, ...body.map((line) => `    ${line}`)].join('\n');
}
