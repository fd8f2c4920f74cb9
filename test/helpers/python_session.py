# The Python side of test/helpers/python-session.ts: one interpreter (torch imported once) that runs
# a test file's oracle snippets one after another. Requests and replies are length-prefixed UTF-8 on
# two FIFOs. Each snippet gets what a fresh `python3 -c` would: its own __main__ module, the prelude
# of runPython, a random RNG seed, the default dtype, grad mode and quantized engine, and
# fresh warning filters.
import io
import json
import signal
import struct
import sys
import traceback
import types
import warnings

import torch

PRELUDE = sys.argv[3]
FRESH_FILTERS = list(warnings.filters)
FRESH_ENGINE = torch.backends.quantized.engine


def read_exact(f, n):
    data = b''
    while len(data) < n:
        chunk = f.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def fresh_state():
    torch.seed()  # a fresh process's generator starts from a random seed too
    torch.set_default_tensor_type(torch.FloatTensor)
    torch.set_grad_enabled(True)
    torch.autograd.set_detect_anomaly(False)
    torch.use_deterministic_algorithms(False)
    torch.backends.quantized.engine = FRESH_ENGINE
    torch.set_num_threads(1)
    warnings.filters[:] = FRESH_FILTERS
    warnings._filters_mutated()  # forgets which warnings were already shown once


def run(code):
    fresh_state()
    main = types.ModuleType('__main__')
    main.__dict__['__builtins__'] = __builtins__
    sys.modules['__main__'] = main
    exec(compile(PRELUDE + code, '<snippet>', 'exec'), main.__dict__)
    return json.dumps(main.__dict__['result'])


def serve(requests, replies):
    while True:
        head = read_exact(requests, 4)
        if head is None:
            return
        code = read_exact(requests, struct.unpack('<I', head)[0]).decode('utf-8')
        try:
            reply = {'ok': run(code)}
        except BaseException:  # noqa: B902 -- SystemExit too: the snippet's failure, not the server's
            reply = {'error': traceback.format_exc()}
        sys.stdout.flush()
        data = json.dumps(reply).encode('utf-8')
        replies.write(struct.pack('<I', len(data)) + data)
        replies.flush()


# Opening a FIFO waits for the other end: a test process killed before it opened its ends must
# not leave this one waiting forever.
signal.alarm(120)
with open(sys.argv[1], 'rb', buffering=0) as requests, open(sys.argv[2], 'wb') as replies:
    signal.alarm(0)
    serve(io.BufferedReader(requests), replies)
