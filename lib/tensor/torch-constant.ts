// A named torch.* constant that libtorch knows by a code (torch.strided, torch.per_tensor_affine):
// frozen, printed as Python prints it.
export class TorchConstant {
  /** @internal */
  constructor(
    /** Python's name, without 'torch.' */
    readonly name: string,
    /** the c10 enum's code, as the native side knows it */
    readonly code: number,
  ) {
    Object.freeze(this);
  }
  toString(): string {
    return `torch.${this.name}`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
