# References for the PyTorch 2.x names torch-node adds (test/v2-*.test.ts), written on PyTorch 1.13
# ops with 2.x's documented formulas and reprs, because the oracle (Debian's 1.13) lacks them.
import math

import torch
from torch import nn
from torch.nn import functional as F


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
    """2.1: softmax(q k^T * scale + bias) v; a bool mask keeps where True, a float mask is added."""
    if is_causal and attn_mask is not None:
        raise RuntimeError('_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True')
    factor = 1 / math.sqrt(query.size(-1)) if scale is None else scale
    scores = query @ key.transpose(-2, -1) * factor
    if is_causal:
        keep = torch.ones(query.size(-2), key.size(-2), dtype=torch.bool).tril(diagonal=0)
        scores = scores.masked_fill(keep.logical_not(), float('-inf'))
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            attn_mask = torch.zeros_like(attn_mask, dtype=query.dtype).masked_fill(attn_mask.logical_not(), float('-inf'))
        scores = scores + attn_mask
    weights = torch.softmax(scores, dim=-1)
    if dropout_p > 0:
        weights = torch.dropout(weights, dropout_p, train=True)
    return weights @ value


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """2.4: x / sqrt(mean(x^2 over the normalized dims) + eps) * weight, eps default finfo(dtype).eps."""
    dims = tuple(range(-len(normalized_shape), 0))
    if eps is None:
        eps = torch.finfo(input.dtype).eps
    out = input * torch.rsqrt(input.pow(2).mean(dims, keepdim=True) + eps)
    return out if weight is None else out * weight


class RMSNorm(nn.Module):
    def __init__(self, normalized_shape, eps=None, elementwise_affine=True):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = nn.Parameter(torch.ones(self.normalized_shape))
        else:
            self.register_parameter('weight', None)

    def forward(self, x):
        return rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return '{normalized_shape}, eps={eps}, elementwise_affine={elementwise_affine}'.format(**self.__dict__)


class _CircularPadNd(nn.Module):
    dims = 0

    def __init__(self, padding):
        super().__init__()
        self.padding = tuple([padding] * (2 * self.dims)) if isinstance(padding, int) else tuple(padding)

    def forward(self, input):
        if input.dim() not in (self.dims + 1, self.dims + 2):
            raise ValueError(f'expected {self.dims + 1}D or {self.dims + 2}D input (got {input.dim()}D input)')
        if input.dim() == self.dims + 1:  # unbatched: 2.x pads it as a batch of one, 1.13 refuses
            return F.pad(input.unsqueeze(0), self.padding, 'circular').squeeze(0)
        return F.pad(input, self.padding, 'circular')

    def extra_repr(self):
        return f'{self.padding}'


class CircularPad1d(_CircularPadNd):
    dims = 1


class CircularPad2d(_CircularPadNd):
    dims = 2


class CircularPad3d(_CircularPadNd):
    dims = 3


class ZeroPad1d(nn.ConstantPad1d):
    def __init__(self, padding):
        super().__init__(padding, 0.)

    def extra_repr(self):
        return f'{self.padding}'


class ZeroPad3d(nn.ConstantPad3d):
    def __init__(self, padding):
        super().__init__(padding, 0.)

    def extra_repr(self):
        return f'{self.padding}'


class StackDataset(torch.utils.data.Dataset):
    """2.1: items of several same-length datasets, as a tuple (positional) or a dict (keywords)."""

    def __init__(self, *args, **kwargs):
        if args:
            if kwargs:
                raise ValueError('Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) like input/output, but both types are given.')
            self._length = len(args[0])
            if any(self._length != len(d) for d in args):
                raise ValueError('Size mismatch between datasets')
            self.datasets = args
        elif kwargs:
            values = list(kwargs.values())
            self._length = len(values[0])
            if any(self._length != len(d) for d in values):
                raise ValueError('Size mismatch between datasets')
            self.datasets = kwargs
        else:
            raise ValueError('At least one dataset should be passed')

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __len__(self):
        return self._length


def load_state_dict_assign(module, state_dict):
    """2.1's load_state_dict(sd, assign=True) for a module tree, shapes already matching: the state
    dict's tensors become the members; a parameter stays a Parameter keeping its requires_grad."""
    for name, member in list(module.named_parameters(recurse=True)) + list(module.named_buffers(recurse=True)):
        owner_path, _, leaf = name.rpartition('.')
        owner = module.get_submodule(owner_path) if owner_path else module
        value = state_dict[name]
        if isinstance(member, nn.Parameter):
            if isinstance(value, nn.Parameter):
                value.requires_grad_(member.requires_grad)
            else:
                value = nn.Parameter(value, requires_grad=member.requires_grad)
        setattr(owner, leaf, value)


def call_with_hooks(module, args, kwargs, pre_hooks, hooks, log):
    """2.0's Module._call_impl hook protocol, for hooks given as (fn, with_kwargs, always_call) lists in
    call order: pre-hooks may replace args (and kwargs), hooks the result; always_call hooks run with
    result None when something raised, their own errors becoming warnings logged here."""
    result = None
    called = set()
    try:
        for fn, with_kwargs in pre_hooks:
            if with_kwargs:
                r = fn(module, args, kwargs)
                if r is not None:
                    if not (isinstance(r, tuple) and len(r) == 2):
                        raise RuntimeError(f'forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got {r}.')
                    args, kwargs = r
            else:
                r = fn(module, args)
                if r is not None:
                    args = r if isinstance(r, tuple) else (r,)
        result = module.forward(*args, **kwargs)
        for i, (fn, with_kwargs, always_call) in enumerate(hooks):
            if always_call:
                called.add(i)
            r = fn(module, args, kwargs, result) if with_kwargs else fn(module, args, result)
            if r is not None:
                result = r
        return result
    except Exception:
        for i, (fn, with_kwargs, always_call) in enumerate(hooks):
            if always_call and i not in called:
                try:
                    fn(module, args, kwargs, result) if with_kwargs else fn(module, args, result)
                except Exception as e:
                    log.append('warning: ' + str(e))
        raise
