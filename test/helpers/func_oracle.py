# Golden values for test/func-*.test.ts: functorch 1.13's transforms (the oracle for torch.func) on
# the seeded float64 inputs below, which test/helpers/func_oracle.ts makes the same way in torch-node.
import json
import torch
import torch.nn.functional as F
from torch import nn
from functorch import vmap, grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian
from functorch import combine_state_for_ensemble
from torch.nn.utils.stateless import functional_call

d = torch.float64


def make_inputs():
    torch.manual_seed(0)
    names_shapes = [('x', (3, 5)), ('y', (3, 5)), ('v', (5,)), ('w', (5,)), ('m', (5, 4)),
                    ('b', (2, 3, 4)), ('c', (2, 3, 4)), ('s', ()), ('u', (4,))]
    return {n: torch.randn(shape, dtype=d) for n, shape in names_shapes}


def to_json(o):
    if isinstance(o, torch.Tensor):
        return {'shape': list(o.shape), 'values': o.detach().reshape(-1).tolist()}
    if isinstance(o, (tuple, list)):
        return [to_json(e) for e in o]
    if isinstance(o, dict):
        return {k: to_json(v) for k, v in o.items()}
    return o


def run_cases(exprs):
    """Each expression evaluated with fresh inputs and this file's (and the prelude's) names: its value or its error."""
    out = []
    for expr in exprs:
        scope = dict(globals(), **make_inputs())
        try:
            out.append({'value': to_json(eval(expr, scope))})
        except Exception as e:
            out.append({'error': f'{type(e).__name__}: {e}'})
    return out
