#!/usr/bin/env node
// Finds the libtorch to build against, in the order DESIGN.md gives:
//   1. LIBTORCH (an install prefix) or Torch_DIR (the folder holding TorchConfig.cmake)
//   2. CMAKE_PREFIX_PATH entries
//   3. a Python that has torch installed (TORCH_NODE_PYTHON, python3 on PATH, /usr/bin/python3)
//   4. Debian's libtorch-dev
// Used by CMakeLists.txt (prints the TorchConfig.cmake folder) and binding.gyp (--gyp <field>).
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const CONFIG = 'TorchConfig.cmake';

function configDirUnder(prefix) {
  const candidates = [
    prefix,
    path.join(prefix, 'share/cmake/Torch'),
    path.join(prefix, 'lib/cmake/Torch'),
    path.join(prefix, 'lib/x86_64-linux-gnu/cmake/Torch'),
    path.join(prefix, 'lib/aarch64-linux-gnu/cmake/Torch'),
  ];
  return candidates.find((dir) => fs.existsSync(path.join(dir, CONFIG)));
}

function pythonTorchPrefixes() {
  const pythons = [process.env.TORCH_NODE_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);
  const found = [];
  for (const py of pythons) {
    try {
      const out = execFileSync(py, ['-c', 'import torch, os; print(os.path.dirname(torch.__file__))'], {
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 60000,
      });
      found.push(out.toString().trim());
    } catch {
      // this Python has no torch; try the next one
    }
  }
  return found;
}

function findConfigDir() {
  const tried = [];
  const attempt = (label, prefix) => {
    if (!prefix) return undefined;
    tried.push(`${label}: ${prefix}`);
    return configDirUnder(prefix);
  };
  let dir = attempt('LIBTORCH', process.env.LIBTORCH) || attempt('Torch_DIR', process.env.Torch_DIR);
  if (dir) return { dir, tried };
  for (const p of (process.env.CMAKE_PREFIX_PATH || '').split(path.delimiter).filter(Boolean)) {
    if ((dir = attempt('CMAKE_PREFIX_PATH', p))) return { dir, tried };
  }
  for (const p of pythonTorchPrefixes()) {
    if ((dir = attempt('python torch', p))) return { dir, tried };
  }
  dir = attempt('Debian libtorch-dev', '/usr');
  return { dir, tried };
}

function describe(configDir) {
  // TorchConfig.cmake sits in <prefix>/share/cmake/Torch (pip) or <prefix>/lib/<triplet>/cmake/Torch.
  const up = (n) => path.resolve(configDir, ...Array(n).fill('..'));
  const prefix = fs.existsSync(path.join(up(3), 'include/ATen')) ? up(3) : up(4);
  const libDir = [path.join(prefix, 'lib'), path.resolve(configDir, '../..')].find((d) =>
    fs.existsSync(path.join(d, 'libtorch_cpu.so')),
  );
  const config = fs.readFileSync(path.join(configDir, CONFIG), 'utf8');
  const abi = /_GLIBCXX_USE_CXX11_ABI=(\d)/.exec(config);
  const cuda = libDir !== undefined && fs.existsSync(path.join(libDir, 'libtorch_cuda.so'));
  const libs = ['torch', 'torch_cpu', 'c10', ...(cuda ? ['torch_cuda', 'c10_cuda'] : [])];
  // A CUDA libtorch: native/cuda.cc needs the CUDA runtime headers, and libtorch_cuda must stay
  // loaded (it registers the CUDA kernels) even where the linker drops libraries it sees no use for.
  const cudaInclude = cuda ? cudaIncludeDir() : undefined;
  const torchInclude = path.join(prefix, 'include');
  const distributed = distributedIncludes(configDir, torchInclude);
  return {
    configDir,
    prefix,
    libDir,
    cuda,
    includeDirs: unique([
      torchInclude,
      path.join(prefix, 'include/torch/csrc/api/include'),
      ...(cudaInclude ? [cudaInclude] : []),
      ...(distributed ?? []),
    ]),
    defines: [
      ...(abi ? [`_GLIBCXX_USE_CXX11_ABI=${abi[1]}`] : []),
      ...(cuda ? ['TORCH_NODE_WITH_CUDA'] : []),
      ...(distributed ? ['TORCH_NODE_WITH_DISTRIBUTED', 'USE_C10D_GLOO'] : []),
    ],
    libraries: [
      `-L${libDir}`,
      ...(cuda ? ['-Wl,--no-as-needed'] : []),
      ...libs.map((l) => `-l${l}`),
      `-Wl,-rpath,${libDir}`,
    ],
  };
}

// torch.distributed's extra include directories for node-gyp builds, as CMakeLists.txt decides them:
// only libtorch 1.x with gloo's headers (libgloo-dev); native/shims stands in for the dist-autograd
// header Debian's libtorch-dev leaves out (listed last, so a complete libtorch's own header wins).
// undefined: build without distributed.
function distributedIncludes(configDir, torchInclude) {
  const version = /PACKAGE_VERSION\s+"(\d+)\./.exec(readIfExists(path.join(configDir, 'TorchConfigVersion.cmake')));
  if (!version || Number(version[1]) >= 2) return undefined;
  const gloo = [torchInclude, '/usr/include', '/usr/local/include'].find((d) => fs.existsSync(path.join(d, 'gloo/context.h')));
  if (!gloo) return undefined;
  const hasDistAutograd = fs.existsSync(path.join(torchInclude, 'torch/csrc/distributed/autograd/context/context.h'));
  return [gloo, ...(hasDistAutograd ? [] : [path.resolve(__dirname, '../native/shims')])];
}

function unique(list) {
  return [...new Set(list)];
}

function readIfExists(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

// The CUDA toolkit's headers (cuda_runtime_api.h), for node-gyp builds; CMake finds them itself.
function cudaIncludeDir() {
  const roots = [process.env.CUDA_HOME, process.env.CUDA_PATH, '/usr/local/cuda'].filter(Boolean);
  for (const root of roots) {
    const dir = path.join(root, 'include');
    if (fs.existsSync(path.join(dir, 'cuda_runtime_api.h'))) return dir;
  }
  return undefined;
}

const HELP = `libtorch was not found. Install one of:
  - Debian/Ubuntu:  apt-get install libtorch-dev libopenblas0-pthread   (or run scripts/setup.sh as root)
  - a Python torch: pip install torch   (CUDA wheels give a CUDA build)
  - an unpacked libtorch: export LIBTORCH=/path/to/libtorch`;

function main() {
  const { dir, tried } = findConfigDir();
  if (!dir) {
    console.error(`${HELP}\nLooked in:\n  ${tried.join('\n  ')}`);
    process.exit(1);
  }
  const info = describe(dir);
  const field = process.argv[2] === '--gyp' ? process.argv[3] : undefined;
  if (field) console.log([].concat(info[field]).join(' '));
  else if (process.argv[2] === '--json') console.log(JSON.stringify(info, null, 2));
  else console.log(info.configDir);
}

main();
