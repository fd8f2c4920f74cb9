// torchvision.transforms.RandomChoice and RandomOrder. As in torchvision they draw from Python's
// `random` module, not torch's generator: here `pythonRandom` (lib/python-random.ts), so after
// pythonRandom.seed(n), as after Python's random.seed(n), they make torchvision's choices.
import { PyTypeError } from '../../errors';
import { ArgsOf, signature } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';
import { Transform, TransformFn } from './transforms';
import { pythonRandom } from '../../python-random';

/** A transform of any arity: RandomChoice passes on every argument (mixup/cutmix take images and targets). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTransform = (...args: any[]) => any;

/** Python's repr of a transform: its own (a Transform's, a Module's, a class's toString), else `<function name>`. */
function reprOf(t: AnyTransform): string {
  return t.toString !== Function.prototype.toString ? String(t) : `<function ${t.name || '<lambda>'}>`;
}

/** torchvision's RandomTransforms: a list of transforms, printed one per line as Compose prints them. */
abstract class RandomTransforms extends Transform {
  readonly transforms: AnyTransform[];
  constructor(transforms: AnyTransform[]) {
    super();
    if (!Array.isArray(transforms)) throw new PyTypeError('Argument transforms should be a sequence');
    this.transforms = transforms;
  }
  toString(): string {
    const lines = this.transforms.map((t) => `\n    ${reprOf(t)}`);
    return `${this.constructor.name}(${lines.join('')}\n)`;
  }
}

const RANDOM_CHOICE = signature<{ transforms: AnyTransform[]; p?: number[] | null }>()(['transforms'], ['p']);

/** rc(images, targets): called with every argument its transforms take. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface RandomChoice { (...args: any[]): any }

/** RandomChoice(transforms, p=None): one of the transforms, picked with weights p (equal if none). */
export class RandomChoice extends RandomTransforms {
  readonly p: number[] | null;
  constructor(...args: ArgsOf<typeof RANDOM_CHOICE>) {
    const { transforms, p = null } = RANDOM_CHOICE.bind('RandomChoice', args);
    super(transforms);
    if (p !== null && !Array.isArray(p)) throw new PyTypeError('Argument p should be a sequence');
    this.p = p;
  }
  /** The chosen transform gets every argument, as torchvision's (mixup/cutmix on (images, targets)). */
  forward(...args: unknown[]): unknown {
    // random.choices(self.transforms, weights=self.p)[0]
    return pythonRandom.choices(this.transforms, this.p)[0](...args);
  }
  toString(): string {
    return `${super.toString()}(p=${this.p === null ? 'None' : `[${this.p.join(', ')}]`})`;
  }
}

const RANDOM_ORDER = signature<{ transforms: TransformFn[] }>()(['transforms'], []);

/** RandomOrder(transforms): all the transforms, in an order random.shuffle draws. */
export class RandomOrder extends RandomTransforms {
  constructor(...args: ArgsOf<typeof RANDOM_ORDER>) {
    super(RANDOM_ORDER.bind('RandomOrder', args).transforms);
  }
  forward(input: unknown): unknown {
    const order = this.transforms.map((_, i) => i);
    pythonRandom.shuffle(order);
    for (const i of order) input = this.transforms[i](input);
    return input;
  }
}

// DataLoader worker threads rebuild these transforms by name and fields (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
