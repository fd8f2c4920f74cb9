#!/usr/bin/env bash
# The GPU check of issue 11, in one command (docs/cuda.md says how a session runs it):
#
#   scripts/gpu-check.sh pack          here (any machine with node and node_modules): packs the node
#                                      binary and node_modules into .gpu-carry/ (git-ignored), for a
#                                      GPU machine that has neither Node.js nor an npm registry
#   scripts/gpu-check.sh [PHASES...]   on the GPU machine: unpacks .gpu-carry if node is missing,
#                                      builds the addon against the pip torch there (CUDA), builds
#                                      the TypeScript, runs the tests, runs the GPU benchmarks.
#                                      PHASES: build, test-cuda (test/cuda-* and test/amp-*),
#                                      test (the whole suite), bench. Default: build test-cuda bench.
#
# Logs and results go to $OUT (the device tool's folder) or ./gpu-check-out.
# Env: TORCH_NODE_PYTHON (the Python whose torch to build against and to use as the test oracle,
# default python3), JOBS (parallel compiles, default nproc), BENCH_ITERS, BENCH_ONLY (bench/gpu.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CARRY=$ROOT/.gpu-carry

pack() {
  mkdir -p "$CARRY"
  grep -qxF '/.gpu-carry/' .git/info/exclude 2>/dev/null || echo '/.gpu-carry/' >>.git/info/exclude
  local node_bin
  node_bin=$(readlink -f "$(command -v node)")
  echo "packing $node_bin ($(node --version)), its headers and node_modules into $CARRY ..."
  xz -T0 -6 -c "$node_bin" >"$CARRY/node.xz"
  # the addon builds against this node's V8 headers (<prefix>/include/node)
  tar -C "$(dirname "$(dirname "$node_bin")")" -cf - include/node | xz -T0 -6 >"$CARRY/node-include.tar.xz"
  tar --exclude='node_modules/.cache' -cf - node_modules | xz -T0 -6 >"$CARRY/node_modules.tar.xz"
  du -ch "$CARRY"/* | sed 's/^/  /'
  echo "carry: [\".gpu-carry\"]   command: scripts/gpu-check.sh   (see docs/cuda.md)"
}

if [[ "${1:-}" == "pack" ]]; then
  pack
  exit 0
fi

OUTDIR=${OUT:-$ROOT/gpu-check-out}
mkdir -p "$OUTDIR"
exec > >(tee -a "$OUTDIR/gpu-check.log") 2>&1
PHASES=("$@")
[[ ${#PHASES[@]} -eq 0 ]] && PHASES=(build test-cuda bench)
PY=${TORCH_NODE_PYTHON:-python3}
export TORCH_NODE_PYTHON=$PY
JOBS=${JOBS:-$(nproc)}
step() { echo; echo "=== $* ($(date +%T))"; }

# Node.js and node_modules: carried, unpacked with Python (xz may be missing there).
if ! command -v node >/dev/null 2>&1; then
  [[ -f "$CARRY/node.xz" ]] || { echo "no node on PATH and no $CARRY/node.xz: run 'scripts/gpu-check.sh pack' first and carry .gpu-carry"; exit 1; }
  mkdir -p /tmp/gpu-check-node/bin
  "$PY" -c "import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], 'wb'))" "$CARRY/node.xz" /tmp/gpu-check-node/bin/node
  chmod +x /tmp/gpu-check-node/bin/node
  "$PY" -c "import tarfile, sys; tarfile.open(sys.argv[1], 'r:xz').extractall(sys.argv[2])" "$CARRY/node-include.tar.xz" /tmp/gpu-check-node
  export PATH=/tmp/gpu-check-node/bin:$PATH
fi
if [[ ! -d node_modules ]]; then
  [[ -f "$CARRY/node_modules.tar.xz" ]] || { echo "no node_modules and no $CARRY/node_modules.tar.xz"; exit 1; }
  "$PY" -c "import tarfile, sys; tarfile.open(sys.argv[1], 'r:xz').extractall('.')" "$CARRY/node_modules.tar.xz"
fi
echo "node $(node --version); $("$PY" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "gpu", torch.cuda.get_device_name(0) if torch.cuda.is_available() else None)')"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || true

# What the addon is built from: a carried addon with the same hash skips the native build.
native_hash() { cat CMakeLists.txt native/* | sha256sum | cut -c1-16; }

build() {
  step "native build against the Python's torch (CUDA if it has it)"
  local torch_dir
  torch_dir=$("$PY" -c 'import torch, os; print(os.path.dirname(torch.__file__))')
  if [[ -f "$CARRY/torch_node.node" && "$(cat "$CARRY/native.hash" 2>/dev/null)" == "$(native_hash)" ]]; then
    echo "using the carried addon built from the same sources ($(native_hash))"
    mkdir -p build/Release && cp "$CARRY/torch_node.node" build/Release/
  else
    build_native "$torch_dir"
  fi
  step "TypeScript build"
  node_modules/.bin/tsc -p tsconfig.build.json
  node scripts/write-esm-entry.js
  node -e "const t = require('./dist/lib'); console.log('libtorch', t.libtorchVersion, '| cuda built', t.cuda.isBuilt(), '| available', t.cuda.isAvailable(), '| devices', t.cuda.deviceCount(), t.cuda.isAvailable() ? '| ' + t.cuda.getDeviceName() : '')"
}

build_native() {
  local torch_dir=$1
  export LIBTORCH=$torch_dir
  local cuda_args=()
  if command -v nvcc >/dev/null 2>&1; then
    cuda_args=(-DCMAKE_CUDA_COMPILER="$(command -v nvcc)")
    export CUDA_HOME=${CUDA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v nvcc)")")")}
  fi
  # cmake-js's arguments, given directly: no header download, no registry
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DTorch_DIR="$torch_dir/share/cmake/Torch" \
    -DCMAKE_JS_INC="$ROOT/node_modules/node-api-headers/include;$ROOT/node_modules/node-addon-api" \
    -DCMAKE_JS_SRC= -DCMAKE_JS_LIB= \
    -DCMAKE_LIBRARY_OUTPUT_DIRECTORY="$ROOT/build/Release" "${cuda_args[@]}"
  cmake --build build -j "$JOBS" -- -k 0   # -k 0: every failing file reported, not only the first
  # back in $OUT: put both into .gpu-carry/ and the next call (a fresh machine) skips this build
  cp build/Release/torch_node.node "$OUTDIR/" && native_hash >"$OUTDIR/native.hash"
}

test_cuda() {
  step "CUDA and AMP tests"
  # each jest worker's libtorch would otherwise start one thread per core (16 x 4 on 16 cores)
  OMP_NUM_THREADS=4 node_modules/.bin/jest --ci --maxWorkers=4 --json --outputFile="$OUTDIR/jest-cuda.json" test/cuda- test/amp- test/nn-transformer test/tensor-print test/errors
}

test_all() {
  step "the whole test suite"
  # 8 workers x 16 libtorch threads left the first run's vision and thread tests starved (350 s, a
  # 120 s timeout): 2 threads per worker fill the 16 cores without oversubscribing them
  OMP_NUM_THREADS=2 node_modules/.bin/jest --ci --maxWorkers=8 --json --outputFile="$OUTDIR/jest-all.json"
}

bench() {
  step "GPU benchmarks (PyTorch vs torch-node)"
  BENCH_JSON="$OUTDIR/bench-gpu.json" node dist/bench/gpu.js
}

status=0
for phase in "${PHASES[@]}"; do
  case $phase in
    build) build ;;
    test-cuda) test_cuda || status=1 ;;
    test) test_all || status=1 ;;
    bench) bench || status=1 ;;
    *) echo "unknown phase '$phase' (build, test-cuda, test, bench)"; exit 2 ;;
  esac
done
exit $status
