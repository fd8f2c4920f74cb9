// torchvision.transforms.RandomChoice and RandomOrder. As in torchvision they draw from Python's
// `random` module, not torch's generator: here `pythonRandom` (python-random.ts), so after
// pythonRandom.seed(n), as after Python's random.seed(n), they make torchvision's choices.
import { PyTypeError } from '../../errors';
import { ArgsOf, signature } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';
import { Transform, TransformFn } from './transforms';
import { pythonRandom } from './python-random';

/** torchvision's RandomTransforms: a list of transforms, printed one per line as Compose prints them. */
abstract class RandomTransforms extends Transform {
  readonly transforms: TransformFn[];
  constructor(transforms: TransformFn[]) {
    super();
    if (!Array.isArray(transforms)) throw new PyTypeError('Argument transforms should be a sequence');
    this.transforms = transforms;
  }
  toString(): string {
    const lines = this.transforms.map((t) => `\n    ${t instanceof Transform ? String(t) : '<function>'}`);
    return `${this.constructor.name}(${lines.join('')}\n)`;
  }
}

const RANDOM_CHOICE = signature<{ transforms: TransformFn[]; p?: number[] | null }>()(['transforms'], ['p']);

/** RandomChoice(transforms, p=None): one of the transforms, picked with weights p (equal if none). */
export class RandomChoice extends RandomTransforms {
  readonly p: number[] | null;
  constructor(...args: ArgsOf<typeof RANDOM_CHOICE>) {
    const { transforms, p = null } = RANDOM_CHOICE.bind('RandomChoice', args);
    super(transforms);
    if (p !== null && !Array.isArray(p)) throw new PyTypeError('Argument p should be a sequence');
    this.p = p;
  }
  forward(input: unknown): unknown {
    // random.choices(self.transforms, weights=self.p)[0]
    return pythonRandom.choice(this.transforms, this.p)(input);
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
