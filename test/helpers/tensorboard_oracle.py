"""The TensorBoard test oracle. TensorBoard itself is not packaged for Debian, so this builds its
messages with Google's protobuf runtime (python3-protobuf) from the schema torch-node writes with
(lib/utils/tensorboard/schema.ts, passed as JSON), and loads PyTorch's own
torch/utils/tensorboard/summary.py on top of those classes: the expected summaries come from
PyTorch's code. Event files are read record by record, each CRC checked with crcmod's CRC-32C.

read_events(path) -> [Event]; summary module: summary(); normalize(msg) -> a dict in which PNGs
are decoded to pixels and plugin contents parsed, for comparing messages field by field."""
import importlib.util, io, os, struct, sys, types

import crcmod.predefined
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, struct_pb2, symbol_database
from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper

SCALARS = {'double': 1, 'float': 2, 'int64': 3, 'uint64': 4, 'int32': 5, 'bool': 8, 'string': 9, 'bytes': 12, 'uint32': 13}
F = descriptor_pb2.FieldDescriptorProto


def _collect(ns, prefix, out):
    """Full names of the schema's messages and enums: {'.tensorboard.Event': ('message', json)}."""
    for name, node in ns.get('nested', {}).items():
        full = prefix + '.' + name
        out[full] = ('enum' if 'values' in node else 'message' if 'fields' in node else 'namespace', node)
        _collect(node, full, out)


def _resolve(type_name, scope, names):
    """protobuf's scoping: the innermost enclosing scope that defines the name."""
    parts = scope.split('.')
    while parts:
        cand = '.'.join(parts) + '.' + type_name
        if cand in names:
            return cand
        parts.pop()
    cand = '.' + type_name
    if cand in names:
        return cand
    raise KeyError(type_name + ' in ' + scope)


def _message(name, node, full, names):
    m = descriptor_pb2.DescriptorProto(name=name)
    oneofs = list(node.get('oneofs', {}).items())
    for oname, _ in oneofs:
        m.oneof_decl.add(name=oname)
    for fname, fd in node['fields'].items():
        f = m.field.add(name=fname, number=fd['id'])
        f.label = F.LABEL_REPEATED if fd.get('rule') == 'repeated' or 'keyType' in fd else F.LABEL_OPTIONAL
        if 'keyType' in fd:  # a map: a nested XxxEntry message
            entry = m.nested_type.add(name=''.join(p.capitalize() for p in fname.split('_')) + 'Entry')
            entry.options.map_entry = True
            entry.field.add(name='key', number=1, label=F.LABEL_OPTIONAL, type=SCALARS[fd['keyType']])
            v = entry.field.add(name='value', number=2, label=F.LABEL_OPTIONAL)
            _set_type(v, fd['type'], full, names)
            f.type = F.TYPE_MESSAGE
            f.type_name = full + '.' + entry.name
        else:
            _set_type(f, fd['type'], full, names)
        if fd.get('options', {}).get('packed'):
            f.options.packed = True
        for i, (_, o) in enumerate(oneofs):
            if fname in o['oneof']:
                f.oneof_index = i
    for cname, child in node.get('nested', {}).items():
        if 'values' in child:
            _enum(m.enum_type.add(), cname, child)
        else:
            m.nested_type.append(_message(cname, child, full + '.' + cname, names))
    return m


def _set_type(f, type_name, scope, names):
    if type_name in SCALARS:
        f.type = SCALARS[type_name]
        return
    full = _resolve(type_name, scope, names)
    f.type = F.TYPE_ENUM if names[full][0] == 'enum' else F.TYPE_MESSAGE
    f.type_name = full


def _enum(e, name, node):
    e.name = name
    for k, v in node['values'].items():
        e.value.add(name=k, number=v)


def build(schema):
    """Message classes and enum wrappers of the schema, by full name without the leading dot."""
    names = {}
    _collect(schema, '', names)
    for wk in ('Struct', 'Value', 'ListValue', 'NullValue'):
        names['.google.protobuf.' + wk] = ('enum' if wk == 'NullValue' else 'message', None)
    # the default pool and its factory: struct_pb2's ListValue is then the class our fields hold
    pool = descriptor_pool.Default()
    for package in ('tensorboard', 'tensorboard.hparams'):
        fdp = descriptor_pb2.FileDescriptorProto(name=package.replace('.', '/') + '.proto', package=package, syntax='proto3')
        if package == 'tensorboard.hparams':
            fdp.dependency.append('google/protobuf/struct.proto')
        for full, (kind, node) in names.items():
            if full.rsplit('.', 1)[0] != '.' + package or node is None:
                continue
            short = full.rsplit('.', 1)[1]
            if kind == 'enum':
                _enum(fdp.enum_type.add(), short, node)
            elif kind == 'message':
                fdp.message_type.append(_message(short, node, full, names))
        pool.Add(fdp)
    factory = symbol_database.Default()
    out = {}

    def add(desc):
        # nested messages as attributes of their parents (Summary.Value), as generated code has them
        cls = out[desc.full_name] = factory.GetPrototype(desc)
        for nested in desc.nested_types:
            if not nested.GetOptions().map_entry:
                setattr(cls, nested.name, add(nested))
        return cls

    for file_name in ('tensorboard.proto', 'tensorboard/hparams.proto'):
        for desc in pool.FindFileByName(file_name).message_types_by_name.values():
            add(desc)
    for full, (kind, node) in names.items():
        if kind == 'enum' and node is not None:
            out[full[1:]] = EnumTypeWrapper(pool.FindEnumTypeByName(full[1:]))
    return out


def install(schema):
    """Registers the classes where summary.py imports them from; returns (classes, summary module)."""
    c = build(schema)

    def mod(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        sys.modules[name] = m
        return m

    for pkg in ('tensorboard', 'tensorboard.compat.proto', 'tensorboard.plugins', 'tensorboard.plugins.custom_scalar',
                'tensorboard.plugins.pr_curve', 'tensorboard.plugins.text', 'tensorboard.plugins.hparams', 'tensorboard.plugins.projector'):
        mod(pkg, __path__=[])
    mod('tensorboard.compat', __path__=[], tf=_local_tf())
    mod('tensorboard.plugins.projector.projector_config_pb2', EmbeddingInfo=c['tensorboard.EmbeddingInfo'], ProjectorConfig=c['tensorboard.ProjectorConfig'])
    mod('tensorboard.compat.proto.summary_pb2', HistogramProto=c['tensorboard.HistogramProto'], Summary=c['tensorboard.Summary'], SummaryMetadata=c['tensorboard.SummaryMetadata'])
    mod('tensorboard.compat.proto.tensor_pb2', TensorProto=c['tensorboard.TensorProto'])
    mod('tensorboard.compat.proto.tensor_shape_pb2', TensorShapeProto=c['tensorboard.TensorShapeProto'])
    # what _pytorch_graph.py and _proto_graph.py import
    mod('tensorboard.compat.proto.graph_pb2', GraphDef=c['tensorboard.GraphDef'])
    mod('tensorboard.compat.proto.node_def_pb2', NodeDef=c['tensorboard.NodeDef'])
    mod('tensorboard.compat.proto.attr_value_pb2', AttrValue=c['tensorboard.AttrValue'])
    mod('tensorboard.compat.proto.versions_pb2', VersionDef=c['tensorboard.VersionDef'])
    mod('tensorboard.compat.proto.config_pb2', RunMetadata=c['tensorboard.RunMetadata'])
    mod('tensorboard.compat.proto.step_stats_pb2', StepStats=c['tensorboard.StepStats'], DeviceStepStats=c['tensorboard.DeviceStepStats'])
    mod('tensorboard.plugins.custom_scalar.layout_pb2', **{k: c['tensorboard.' + k] for k in ('Layout', 'Category', 'Chart', 'MultilineChartContent', 'MarginChartContent')})
    mod('tensorboard.plugins.pr_curve.plugin_data_pb2', PrCurvePluginData=c['tensorboard.PrCurvePluginData'])
    mod('tensorboard.plugins.text.plugin_data_pb2', TextPluginData=c['tensorboard.TextPluginData'])
    h = 'tensorboard.hparams.'
    mod('tensorboard.plugins.hparams.api_pb2', **{k: c[h + k] for k in ('Experiment', 'HParamInfo', 'MetricInfo', 'MetricName', 'Status', 'DataType')})
    mod('tensorboard.plugins.hparams.plugin_data_pb2', **{k: c[h + k] for k in ('HParamsPluginData', 'SessionEndInfo', 'SessionStartInfo')})
    # tensorboard/plugins/hparams/metadata.py's constants
    mod('tensorboard.plugins.hparams.metadata', PLUGIN_NAME='hparams', PLUGIN_DATA_VERSION=0, EXPERIMENT_TAG='_hparams_/experiment',
        SESSION_START_INFO_TAG='_hparams_/session_start_info', SESSION_END_INFO_TAG='_hparams_/session_end_info')
    # the mesh plugin's modules that summary.mesh imports (see _mesh_metadata)
    mod('tensorboard.plugins.mesh', __path__=[])
    mod('tensorboard.plugins.mesh.plugin_data_pb2', MeshPluginData=c['tensorboard.MeshPluginData'])
    mod('tensorboard.plugins.mesh.metadata', **_mesh_metadata(c))
    # PyTorch's summary.py (and its _convert_np, _utils) as a package of their own, without
    # torch/utils/tensorboard/__init__.py, which needs the real tensorboard
    import torch.utils
    src = os.path.join(os.path.dirname(torch.utils.__file__), 'tensorboard')
    mod('torch_tb_summary', __path__=[src])
    spec = importlib.util.spec_from_file_location('torch_tb_summary.summary', os.path.join(src, 'summary.py'))
    summary = importlib.util.module_from_spec(spec)
    sys.modules['torch_tb_summary.summary'] = summary
    spec.loader.exec_module(summary)
    spec = importlib.util.spec_from_file_location('torch_tb_summary._embedding', os.path.join(src, '_embedding.py'))
    summary.embedding = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(summary.embedding)
    sys.modules['torch_tb_summary._embedding'] = summary.embedding
    for name in ('_proto_graph', '_pytorch_graph'):
        spec = importlib.util.spec_from_file_location('torch_tb_summary.' + name, os.path.join(src, name + '.py'))
        m = sys.modules['torch_tb_summary.' + name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(m)
    summary.pytorch_graph = sys.modules['torch_tb_summary._pytorch_graph']
    # PyTorch 1.13's make_histogram calls np.greater(counts, 0, dtype=np.int32), which numpy >= 1.24
    # refuses: the same comparison, then the cast
    import numpy as np
    patched = types.ModuleType('numpy_for_summary')
    patched.__dict__.update(np.__dict__)
    patched.greater = lambda a, b, dtype=None: np.greater(a, b).astype(dtype) if dtype else np.greater(a, b)
    summary.np = patched
    return c, summary


def _mesh_metadata(c):
    """tensorboard/plugins/mesh/metadata.py's functions that summary.mesh calls, restated from
    TensorBoard's source (TensorBoard is not packaged here): the bitmask of the parts, the
    <name>_<PART> tags, and the SummaryMetadata carrying a MeshPluginData."""
    Data, Metadata = c['tensorboard.MeshPluginData'], c['tensorboard.SummaryMetadata']

    def get_components_bitmask(content_types):
        if Data.UNDEFINED in content_types:
            raise ValueError('Cannot include UNDEFINED content type in mask.')
        return sum(1 << t for t in set(content_types))

    def get_instance_name(name, content_type):
        return '%s_%s' % (name, Data.ContentType.Name(content_type))

    def create_summary_metadata(name, display_name, content_type, components, shape, description=None, json_config=None):
        if len(shape) != 3:
            raise ValueError('Tensor shape should be of shape BxNx3, but got %s.' % str(shape))
        data = Data(version=0, name=name, content_type=content_type, components=components, shape=shape, json_config=json_config)
        plugin = Metadata.PluginData(plugin_name='mesh', content=data.SerializeToString())
        return Metadata(display_name=display_name, summary_description=description, plugin_data=plugin)

    return dict(PLUGIN_NAME='mesh', get_components_bitmask=get_components_bitmask, get_instance_name=get_instance_name,
                create_summary_metadata=create_summary_metadata)


def _local_tf():
    """tensorboard.compat.tf's file functions that _embedding.py uses, on the local file system."""
    class FS:
        join = staticmethod(os.path.join)

        @staticmethod
        def write(path, data, binary_mode=True):
            with open(path, 'wb') as f:
                f.write(data)

    gfile = types.SimpleNamespace(get_filesystem=lambda path: FS(), GFile=open)
    as_bytes = lambda s: s.encode('utf-8') if isinstance(s, str) else s
    return types.SimpleNamespace(io=types.SimpleNamespace(gfile=gfile), compat=types.SimpleNamespace(as_bytes=as_bytes))


_crc32c = crcmod.predefined.mkCrcFun('crc-32c')


def _masked(data):
    crc = _crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def read_events(path, Event):
    """The Events of a TFRecord file; raises on a bad length or data CRC."""
    out = []
    with open(path, 'rb') as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        header = data[pos:pos + 8]
        (n,) = struct.unpack('<Q', header)
        (hcrc,) = struct.unpack('<I', data[pos + 8:pos + 12])
        assert hcrc == _masked(header), 'bad length CRC at %d' % pos
        body = data[pos + 12:pos + 12 + n]
        (dcrc,) = struct.unpack('<I', data[pos + 12 + n:pos + 16 + n])
        assert dcrc == _masked(body), 'bad data CRC at %d' % pos
        e = Event()
        e.ParseFromString(body)
        out.append(e)
        pos += 16 + n
    return out


def normalize(msg, c):
    """A message as a dict; PNG images as their pixels, plugin contents and layouts parsed."""
    from PIL import Image
    import numpy as np
    d = json_format.MessageToDict(msg, preserving_proto_field_name=True)
    plugins = {'text': 'tensorboard.TextPluginData', 'pr_curves': 'tensorboard.PrCurvePluginData', 'hparams': 'tensorboard.hparams.HParamsPluginData'}
    plugins['mesh'] = 'tensorboard.MeshPluginData'
    values = d.get('summary', d).get('value', []) if isinstance(d.get('summary', d), dict) else []
    raw_values = (msg.summary.value if hasattr(msg, 'summary') else msg.value)
    for v, raw in zip(values, raw_values):
        if 'image' in v:
            img = Image.open(io.BytesIO(raw.image.encoded_image_string))
            v['image']['encoded_image_string'] = {'mode': img.mode, 'size': list(img.size), 'pixels': np.asarray(img).reshape(-1).tolist()}
        pd = raw.metadata.plugin_data
        if pd.plugin_name in plugins and pd.content:
            content = c[plugins[pd.plugin_name]]()
            content.ParseFromString(pd.content)
            v['metadata']['plugin_data']['content'] = json_format.MessageToDict(content, preserving_proto_field_name=True)
        if pd.plugin_name == 'custom_scalars':
            layout = c['tensorboard.Layout']()
            layout.ParseFromString(raw.tensor.string_val[0])
            v['tensor']['string_val'] = [json_format.MessageToDict(layout, preserving_proto_field_name=True)]
    return d


def diff(a, b, where='', rtol=1e-12):
    """The paths at which two normalized messages differ (floats within rtol)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [p for k in sorted(set(a) | set(b)) for p in diff(a.get(k), b.get(k), where + '.' + k, rtol)]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return ['%s: length %d != %d' % (where, len(a), len(b))]
        return [p for i, (x, y) in enumerate(zip(a, b)) for p in diff(x, y, '%s[%d]' % (where, i), rtol)]
    if isinstance(a, float) or isinstance(b, float):
        try:
            if abs(float(a) - float(b)) <= rtol * max(abs(float(a)), abs(float(b))):
                return []
        except (TypeError, ValueError):
            pass
    return [] if a == b else ['%s: %r != %r' % (where, a, b)]
