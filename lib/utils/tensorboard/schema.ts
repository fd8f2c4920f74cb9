// The protocol buffer messages of TensorBoard's event files, as protobufjs reflection JSON: the
// subset that torch.utils.tensorboard writes (tensorboard/compat/proto event, summary, tensor,
// histogram; the text, pr_curve, custom_scalar, mesh and hparams plugins). Field names and numbers
// are TensorBoard's, so TensorBoard (and Python's protobuf) read what we write.
import * as protobuf from 'protobufjs';

type Fields = Record<string, { type: string; id: number; rule?: 'repeated'; keyType?: string; options?: { packed: boolean } }>;
const f = (type: string, id: number): Fields[string] => ({ type, id });
const repeated = (type: string, id: number): Fields[string] => ({ type, id, rule: 'repeated' });
const packed = (type: string, id: number): Fields[string] => ({ type, id, rule: 'repeated', options: { packed: true } });
const message = (fields: Fields, extra: object = {}): object => ({ fields, ...extra });
const oneof = (name: string, members: string[]): object => ({ oneofs: { [name]: { oneof: members } } });

const TENSORBOARD = {
  Event: message(
    { wall_time: f('double', 1), step: f('int64', 2), file_version: f('string', 3), graph_def: f('bytes', 4), summary: f('Summary', 5), session_log: f('SessionLog', 7), tagged_run_metadata: f('TaggedRunMetadata', 8), source_metadata: f('SourceMetadata', 10) },
    oneof('what', ['file_version', 'graph_def', 'summary', 'session_log', 'tagged_run_metadata']),
  ),
  SourceMetadata: message({ writer: f('string', 1) }),
  TaggedRunMetadata: message({ tag: f('string', 1), run_metadata: f('bytes', 2) }),
  // the graph (graph.proto, node_def.proto, attr_value.proto, versions.proto) and its run metadata (config.proto, step_stats.proto)
  GraphDef: message({ node: repeated('NodeDef', 1), versions: f('VersionDef', 4) }),
  NodeDef: message({ name: f('string', 1), op: f('string', 2), input: repeated('string', 3), device: f('string', 4), attr: { keyType: 'string', type: 'AttrValue', id: 5 } }),
  AttrValue: {
    ...message(
      { list: f('ListValue', 1), s: f('bytes', 2), i: f('int64', 3), f: f('float', 4), b: f('bool', 5), type: f('DataType', 6), shape: f('TensorShapeProto', 7), tensor: f('TensorProto', 8), placeholder: f('string', 9) },
      oneof('value', ['list', 's', 'i', 'f', 'b', 'type', 'shape', 'tensor', 'placeholder']),
    ),
    nested: {
      ListValue: message({ s: repeated('bytes', 2), i: packed('int64', 3), f: packed('float', 4), b: packed('bool', 5), type: packed('DataType', 6), shape: repeated('TensorShapeProto', 7), tensor: repeated('TensorProto', 8) }),
    },
  },
  VersionDef: message({ producer: f('int32', 1), min_consumer: f('int32', 2), bad_consumers: packed('int32', 3) }),
  RunMetadata: message({ step_stats: f('StepStats', 1) }),
  StepStats: message({ dev_stats: repeated('DeviceStepStats', 1) }),
  DeviceStepStats: message({ device: f('string', 1) }),
  SessionLog: {
    fields: { status: f('SessionStatus', 1), checkpoint_path: f('string', 2), msg: f('string', 3) },
    nested: { SessionStatus: { values: { STATUS_UNSPECIFIED: 0, START: 1, STOP: 2, CHECKPOINT: 3 } } },
  },
  SummaryMetadata: {
    fields: { plugin_data: f('PluginData', 1), display_name: f('string', 2), summary_description: f('string', 3) },
    nested: { PluginData: message({ plugin_name: f('string', 1), content: f('bytes', 2) }) },
  },
  Summary: {
    fields: { value: repeated('Value', 1) },
    nested: {
      Image: message({ height: f('int32', 1), width: f('int32', 2), colorspace: f('int32', 3), encoded_image_string: f('bytes', 4) }),
      Audio: message({ sample_rate: f('float', 1), num_channels: f('int64', 2), length_frames: f('int64', 3), encoded_audio_string: f('bytes', 4), content_type: f('string', 5) }),
      Value: message(
        { tag: f('string', 1), simple_value: f('float', 2), image: f('Image', 4), histo: f('HistogramProto', 5), audio: f('Audio', 6), tensor: f('TensorProto', 8), metadata: f('SummaryMetadata', 9) },
        oneof('value', ['simple_value', 'image', 'histo', 'audio', 'tensor']),
      ),
    },
  },
  HistogramProto: message({ min: f('double', 1), max: f('double', 2), num: f('double', 3), sum: f('double', 4), sum_squares: f('double', 5), bucket_limit: packed('double', 6), bucket: packed('double', 7) }),
  TensorShapeProto: {
    fields: { dim: repeated('Dim', 2), unknown_rank: f('bool', 3) },
    nested: { Dim: message({ size: f('int64', 1), name: f('string', 2) }) },
  },
  DataType: { values: { DT_INVALID: 0, DT_FLOAT: 1, DT_DOUBLE: 2, DT_INT32: 3, DT_STRING: 7, DT_INT64: 9, DT_BOOL: 10 } },
  TensorProto: message({
    dtype: f('DataType', 1), tensor_shape: f('TensorShapeProto', 2), version_number: f('int32', 3), tensor_content: f('bytes', 4),
    float_val: packed('float', 5), double_val: packed('double', 6), int_val: packed('int32', 7), string_val: repeated('bytes', 8),
    int64_val: packed('int64', 10), bool_val: packed('bool', 11),
  }),
  // plugins: text, pr_curve, custom_scalar
  TextPluginData: message({ version: f('int32', 1) }),
  PrCurvePluginData: message({ version: f('int32', 1), num_thresholds: f('uint32', 2) }),
  Layout: message({ version: f('int32', 1), category: repeated('Category', 2) }),
  Category: message({ title: f('string', 1), chart: repeated('Chart', 2), closed: f('bool', 3) }),
  Chart: message({ title: f('string', 1), multiline: f('MultilineChartContent', 2), margin: f('MarginChartContent', 3) }, oneof('content', ['multiline', 'margin'])),
  MultilineChartContent: message({ tag: repeated('string', 1) }),
  // the mesh plugin's plugin_data.proto (package tensorboard.mesh; the package is not on the wire)
  MeshPluginData: {
    fields: { version: f('int32', 1), name: f('string', 2), content_type: f('ContentType', 3), json_config: f('string', 5), shape: packed('int32', 6), components: f('int32', 7) },
    nested: { ContentType: { values: { UNDEFINED: 0, VERTEX: 1, FACE: 2, COLOR: 3 } } },
  },
  // the projector plugin's config (projector_config.pbtxt, in text format)
  ProjectorConfig: message({ model_checkpoint_path: f('string', 1), embeddings: repeated('EmbeddingInfo', 2), model_checkpoint_dir: f('string', 3) }),
  EmbeddingInfo: message({ tensor_name: f('string', 1), metadata_path: f('string', 2), bookmarks_path: f('string', 3), tensor_shape: packed('uint32', 4), sprite: f('SpriteMetadata', 5), tensor_path: f('string', 6) }),
  SpriteMetadata: message({ image_path: f('string', 1), single_image_dim: packed('uint32', 2) }),
  MarginChartContent: {
    fields: { series: repeated('Series', 1) },
    nested: { Series: message({ value: f('string', 1), lower: f('string', 2), upper: f('string', 3) }) },
  },
};

// tensorboard/plugins/hparams: api.proto and plugin_data.proto (package tensorboard.hparams)
const HPARAMS = {
  Experiment: message({ description: f('string', 1), user: f('string', 2), time_created_secs: f('double', 3), hparam_infos: repeated('HParamInfo', 4), metric_infos: repeated('MetricInfo', 5), name: f('string', 6) }),
  HParamInfo: message(
    { name: f('string', 1), display_name: f('string', 2), description: f('string', 3), type: f('DataType', 4), domain_discrete: f('google.protobuf.ListValue', 5), domain_interval: f('Interval', 6), differs: f('bool', 7) },
    oneof('domain', ['domain_discrete', 'domain_interval']),
  ),
  DataType: { values: { DATA_TYPE_UNSET: 0, DATA_TYPE_STRING: 1, DATA_TYPE_BOOL: 2, DATA_TYPE_FLOAT64: 3 } },
  Interval: message({ min_value: f('double', 1), max_value: f('double', 2) }),
  MetricName: message({ group: f('string', 1), tag: f('string', 2) }),
  MetricInfo: message({ name: f('MetricName', 1), display_name: f('string', 3), description: f('string', 4), dataset_type: f('DatasetType', 5) }),
  DatasetType: { values: { DATASET_UNKNOWN: 0, DATASET_TRAINING: 1, DATASET_VALIDATION: 2 } },
  Status: { values: { STATUS_UNKNOWN: 0, STATUS_SUCCESS: 1, STATUS_FAILURE: 2, STATUS_RUNNING: 3 } },
  HParamsPluginData: message(
    { version: f('int32', 1), experiment: f('Experiment', 2), session_start_info: f('SessionStartInfo', 3), session_end_info: f('SessionEndInfo', 4) },
    oneof('data', ['experiment', 'session_start_info', 'session_end_info']),
  ),
  SessionStartInfo: message({
    hparams: { keyType: 'string', type: 'google.protobuf.Value', id: 1 }, model_uri: f('string', 2), monitor_url: f('string', 3), group_name: f('string', 4), start_time_secs: f('double', 5),
  }),
  SessionEndInfo: message({ status: f('Status', 1), end_time_secs: f('double', 2) }),
};

/** The schema as reflection JSON (the tests build Python's protobuf classes from it). */
export const SCHEMA_JSON = {
  nested: {
    tensorboard: { nested: { ...TENSORBOARD, hparams: { nested: HPARAMS } } },
    // google.protobuf.Struct / Value / ListValue (protobufjs' copy of struct.proto; camelCase fields)
    ...(protobuf.common.get('google/protobuf/struct.proto') as { nested: object }).nested,
  },
};

const root = protobuf.Root.fromJSON(SCHEMA_JSON as protobuf.INamespace);

/** A message type of the schema by its full name ('tensorboard.Event', 'tensorboard.hparams.Experiment'). */
export function messageType(name: string): protobuf.Type {
  return root.lookupType(name);
}

/** Serializes a plain object (TensorBoard's snake_case field names) as message `name`. */
export function encode(name: string, value: object): Uint8Array {
  const type = messageType(name);
  return type.encode(type.fromObject(value)).finish();
}
