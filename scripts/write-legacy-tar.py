# Writes torch.save's tar format of torch < 0.4, which PyTorch still reads but no longer writes: a
# tar archive of four members, laid out as torch/serialization.py's old _save wrote them:
#   sys_info  pickle of {protocol_version: 1000, little_endian, type_sizes}
#   pickle    the object; tensors and storages in it are persistent ids str(key)
#   tensors   pickled count, then per tensor: pickle (key, storage_key, tensor type), int64 ndim,
#             ndim sizes, ndim strides, storage offset (int64 each, little-endian)
#   storages  pickled count, then per storage: pickle (key, location, storage type), int64 element
#             count, the elements (little-endian); then a pickled list of storage views
#             (view_key, root_key, offset, numel)
# save_tar(obj, path) writes a whole file; the member builders are for hand-made (malformed) files.
# Used by test/serialization-legacy-tar.test.ts (loaded with runpy by the oracle Python).
import io
import os
import pickle
import struct
import tarfile
import tempfile

import torch

PROTOCOL = 2  # torch.save's default then


class StorageView:
    """Saves `tensor` as lying on a view [offset, offset + numel) of its storage (old torch's
    storage slices), so the file carries a storage_views entry."""

    def __init__(self, tensor, offset, numel):
        self.tensor, self.offset, self.numel = tensor, offset, numel


def storage_type(dtype):
    for name in dir(torch):
        cls = getattr(torch, name)
        if name.endswith('Storage') and isinstance(cls, type) and issubclass(cls, torch.storage._LegacyStorage) \
                and cls.dtype == dtype:
            return cls
    raise ValueError(dtype)


def tensor_type(dtype):
    return getattr(torch, storage_type(dtype).__name__.replace('Storage', 'Tensor'), torch.FloatTensor)


def storage_bytes(storage, dtype):
    t = torch.tensor([], dtype=dtype).set_(storage)
    if t.dtype.is_complex:
        t = torch.view_as_real(t)
    return t.contiguous().view(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b''


def sys_info_member(little_endian=True):
    return pickle.dumps(dict(protocol_version=1000, little_endian=little_endian,
                             type_sizes=dict(short=2, int=4, long=8)), protocol=PROTOCOL)


def pickle_member(obj, persistent_id=lambda o: None):
    f = io.BytesIO()
    p = pickle.Pickler(f, protocol=PROTOCOL)
    p.persistent_id = persistent_id
    p.dump(obj)
    return f.getvalue()


def tensors_member(records):
    """records: (key, storage_key, tensor_type, size, stride, offset)"""
    f = io.BytesIO()
    pickle.dump(len(records), f, protocol=PROTOCOL)
    for key, storage_key, ttype, size, stride, offset in records:
        pickle.dump((key, storage_key, ttype), f, protocol=PROTOCOL)
        f.write(struct.pack('<q', len(size)))
        f.write(struct.pack(f'<{len(size)}q', *size))
        f.write(struct.pack(f'<{len(stride)}q', *stride))
        f.write(struct.pack('<q', offset))
    return f.getvalue()


def storages_member(records, views=()):
    """records: (key, location, storage_type, numel, data bytes); views: (view_key, root_key, offset, numel)"""
    f = io.BytesIO()
    pickle.dump(len(records), f, protocol=PROTOCOL)
    for key, location, stype, numel, data in records:
        pickle.dump((key, location, stype), f, protocol=PROTOCOL)
        f.write(struct.pack('<q', numel))
        f.write(data)
    pickle.dump(list(views), f, protocol=PROTOCOL)
    return f.getvalue()


def write_tar(path, members, tar_format=tarfile.PAX_FORMAT):
    """members: (name, bytes) in order; added from temp files as torch's _add_to_tar did"""
    with tarfile.open(path, 'w:', format=tar_format) as tar, tempfile.TemporaryDirectory() as tmp:
        for i, (name, data) in enumerate(members):
            src = os.path.join(tmp, str(i))
            with open(src, 'wb') as f:
                f.write(data)
            with open(src, 'rb') as f:
                tar.addfile(tar.gettarinfo(src, arcname=name), f)
    return path


def save_tar(obj, path, little_endian=True, location='cpu', tar_format=tarfile.PAX_FORMAT):
    tensors = {}   # key -> tensor record
    storages = {}  # key -> (storage, dtype)
    views = {}     # view key -> (root key, offset, numel)

    def storage_of(t):
        key = t.storage()._cdata
        storages.setdefault(key, (t.storage(), t.dtype))
        return key

    def persistent_id(o):
        if isinstance(o, StorageView):
            root = storage_of(o.tensor)
            view_key = root + 1 + o.offset  # distinct from every real address
            views[view_key] = (root, o.offset, o.numel)
            t, key = o.tensor, id(o)
            tensors[key] = (key, view_key, tensor_type(t.dtype), t.size(), t.stride(), t.storage_offset() - o.offset)
            return str(key)
        if isinstance(o, torch.Tensor):
            key = o._cdata
            tensors[key] = (key, storage_of(o), tensor_type(o.dtype), o.size(), o.stride(), o.storage_offset())
            return str(key)
        if isinstance(o, torch.storage.TypedStorage):
            storages.setdefault(o._cdata, (o, o.dtype))
            return str(o._cdata)
        return None

    # the pickle first: it fills the tables the other members describe
    pickled = pickle_member(obj, persistent_id)
    records = [(key, location, storage_type(dtype), s.size(), storage_bytes(s, dtype))
               for key, (s, dtype) in storages.items()]
    return write_tar(path, [
        ('sys_info', sys_info_member(little_endian)),
        ('pickle', pickled),
        ('tensors', tensors_member(list(tensors.values()))),
        ('storages', storages_member(records, [(k, r, o, n) for k, (r, o, n) in views.items()])),
    ], tar_format)
