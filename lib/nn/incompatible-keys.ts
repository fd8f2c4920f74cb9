// What Module.loadStateDict returns: PyTorch's _IncompatibleKeys, a namedtuple
// (missing_keys, unexpected_keys). The fields keep camelCase names; printing (String(r),
// console.log(r)) is Python's repr, and it destructures as the tuple does:
// `const [missing, unexpected] = model.loadStateDict(sd, { strict: false })`.
import { pyList } from '../py-format';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

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
