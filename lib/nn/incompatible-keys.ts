// What Module.loadStateDict returns: PyTorch's _IncompatibleKeys, a namedtuple
// (missing_keys, unexpected_keys). The fields keep camelCase names; printing (String(r),
// console.log(r)) is Python's repr, and it destructures as the tuple does:
// `const [missing, unexpected] = model.loadStateDict(sd, { strict: false })`.
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** Python's repr of a str: single quotes unless the text holds one and no double quote. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}

const pyList = (items: readonly string[]): string => `[${items.map(pyStrRepr).join(', ')}]`;

export class IncompatibleKeys {
  constructor(
    public missingKeys: string[],
    public unexpectedKeys: string[],
  ) {}

  /** As the namedtuple unpacks: missing keys, then unexpected keys. */
  *[Symbol.iterator](): Generator<string[]> {
    yield this.missingKeys;
    yield this.unexpectedKeys;
  }

  toString(): string {
    if (this.missingKeys.length === 0 && this.unexpectedKeys.length === 0) return '<All keys matched successfully>';
    return `_IncompatibleKeys(missing_keys=${pyList(this.missingKeys)}, unexpected_keys=${pyList(this.unexpectedKeys)})`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}
