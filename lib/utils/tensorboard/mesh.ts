// torch.utils.tensorboard.summary.mesh: a mesh or point cloud for TensorBoard's mesh plugin. Each of
// vertices, faces and colors ([B, N, 3]) becomes a float tensor summary tagged <tag>_VERTEX, _FACE,
// _COLOR, whose MeshPluginData names the mesh, the parts it has and its ThreeJS config (JSON).
import { ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { tensor as tensorOf } from '../../tensor/create';
import type { TensorData } from '../../tensor/nested';
import { pyJsonDumps } from './py-json';
import { encode } from './schema';
import type { SummaryObject } from './summary';
import { pySize } from '../../py-format';

export type MeshTensor = Tensor | TensorData;
/** ThreeJS classes and their settings: { camera: { cls: 'PerspectiveCamera', fov: 75 }, material: {...}, lights: [...] } */
export type MeshConfig = Record<string, unknown>;

// MeshPluginData.ContentType, in the order summary.mesh writes them
const PARTS = [['VERTEX', 1], ['FACE', 2], ['COLOR', 3]] as const;

/** torch.as_tensor, detached on the CPU. */
function asTensor(x: MeshTensor): Tensor {
  return x instanceof Tensor ? x.detach().cpu() : tensorOf(x);
}

/** One part: its values as DT_FLOAT, the plugin's metadata (the mesh plugin wants B x N x 3). */
function part(tag: string, t: Tensor, kind: (typeof PARTS)[number], components: number, jsonConfig: string, displayName: string | null, description: string | null): Record<string, unknown> {
  if (t.dim() !== 3) throw new ValueError(`Tensor shape should be of shape BxNx3, but got ${pySize(t.shape)}.`);
  const content = encode('tensorboard.MeshPluginData', { version: 0, name: tag, content_type: kind[1], json_config: jsonConfig, shape: t.shape, components });
  const metadata = { plugin_data: { plugin_name: 'mesh', content }, ...(displayName ? { display_name: displayName } : {}), ...(description ? { summary_description: description } : {}) };
  const values = Array.from(t.double().contiguous().toTypedArray() as Float64Array);
  const tensor = { dtype: 'DT_FLOAT', float_val: values, tensor_shape: { dim: t.shape.map((size) => ({ size })) } };
  return { tag: `${tag}_${kind[0]}`, tensor, metadata };
}

/** summary.mesh(tag, vertices, colors, faces, config_dict, display_name=None, description=None) */
export function mesh(tag: string, vertices: MeshTensor | null, colors: MeshTensor | null, faces: MeshTensor | null, configDict: MeshConfig | null, displayName: string | null = null, description: string | null = null): SummaryObject {
  const jsonConfig = configDict === null || configDict === undefined ? '{}' : pyJsonDumps(configDict);
  const given = ([vertices, faces, colors] as const).map((x, i) => [x, PARTS[i]] as const).filter(([x]) => x !== null && x !== undefined);
  const components = given.reduce((mask, [, kind]) => mask | (1 << kind[1]), 0);
  return { value: given.map(([x, kind]) => part(tag, asTensor(x!), kind, components, jsonConfig, displayName, description)) };
}
