// torchvision.transforms.LinearTransformation: each image flattened, centred by mean_vector and
// multiplied by a square matrix (e.g. ZCA whitening computed offline), keeping its shape.
import { ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { ArgsOf, signature } from '../../keywords';
import { registerLibraryExports } from '../../data/library-ref';
import { pyFloat, pyTuple } from '../../py-format';
import { Transform } from './transforms';

export interface LinearTransformationArgs {
  /** [D, D], D = C * H * W */
  transformationMatrix: Tensor;
  /** [D] */
  meanVector: Tensor;
}
const LINEAR_TRANSFORMATION = signature<LinearTransformationArgs>()(['transformationMatrix', 'meanVector'], []);


export class LinearTransformation extends Transform<Tensor, Tensor> {
  readonly transformationMatrix: Tensor;
  readonly meanVector: Tensor;
  constructor(...args: ArgsOf<typeof LINEAR_TRANSFORMATION>) {
    super();
    const { transformationMatrix: matrix, meanVector: mean } = LINEAR_TRANSFORMATION.bind('LinearTransformation', args);
    if (matrix.size(0) !== matrix.size(1)) throw new ValueError(`transformation_matrix should be square. Got ${pyTuple(matrix.shape)} rectangular matrix.`);
    if (mean.size(0) !== matrix.size(0)) {
      throw new ValueError(`mean_vector should have the same length ${mean.size(0)} as any one of the dimensions of the transformation_matrix [${pyTuple(matrix.shape)}]`);
    }
    if (String(matrix.device) !== String(mean.device)) throw new ValueError(`Input tensors should be on the same device. Got ${matrix.device} and ${mean.device}`);
    this.transformationMatrix = matrix;
    this.meanVector = mean;
  }

  forward(tensor: Tensor): Tensor {
    const shape = tensor.shape;
    const [c, h, w] = shape.slice(-3);
    const n = c * h * w;
    if (n !== this.transformationMatrix.size(0)) {
      throw new ValueError(`Input tensor and transformation matrix have incompatible shape.[${c} x ${h} x ${w}] != ${this.transformationMatrix.size(0)}`);
    }
    if (tensor.device.type !== this.meanVector.device.type) {
      throw new ValueError(`Input tensor should be on the same device as transformation matrix and mean vector. Got ${tensor.device} vs ${this.meanVector.device}`);
    }
    return tensor.view(-1, n).sub(this.meanVector).mm(this.transformationMatrix).view(shape);
  }

  toString(): string {
    const list = (t: Tensor): string => {
      const show = t.dtype.isFloatingPoint ? pyFloat : String;
      const nested = (v: unknown): string => (Array.isArray(v) ? `[${v.map(nested).join(', ')}]` : typeof v === 'boolean' ? (v ? 'True' : 'False') : show(v as number));
      return nested(t.tolist());
    };
    return `LinearTransformation(transformation_matrix=${list(this.transformationMatrix)}, mean_vector=${list(this.meanVector)})`;
  }
}

// DataLoader worker threads rebuild these transforms by name and fields (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
