"""Helpers for the whole-module tests of quantized, prepared and QAT models (serialization-module-*.test.ts).

PyTorch 1.13's prepare gives each module a qconfig whose factories call a local function
(add_module_to_qconfig_obs_ctr's device closure), which pickle refuses; a user who checkpoints a
prepared model whole drops it first, as strip_device_closures does (observers then go to the default
device, the module's own on CPU).
"""
import torch


def strip_device_closures(model):
    for m in model.modules():
        qconfig = getattr(m, 'qconfig', None)
        if qconfig is None:
            continue
        for factory in qconfig:
            if hasattr(factory, 'callable_args'):
                factory.callable_args = {}
    return model


def observer_stats(model):
    """min_val / max_val (and histograms) of every observer, by qualified name, as lists."""
    out = {}
    for name, m in model.named_modules():
        for buf in ('min_val', 'max_val', 'histogram', 'scale', 'zero_point'):
            t = getattr(m, buf, None)
            if isinstance(t, torch.Tensor) and m is not model:
                out[f'{name}.{buf}'] = t.detach().float().reshape(-1).tolist()
    return out


def run_probed(m, probe, x):
    """m(x), and the int_repr of what its submodule `probe` returned during that call."""
    inner = []
    handle = m.get_submodule(probe).register_forward_hook(lambda _m, _i, o: inner.append(o.int_repr()))
    out = m(x)
    handle.remove()
    return out, inner[0]
