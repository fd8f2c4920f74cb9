#!/usr/bin/env bash
# Fresh-machine setup, idempotent: system packages (Debian, as root), npm dependencies, the build.
# Elsewhere it prints the packages to install and goes on if they are already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# libtorch-dev: the C++ library we bind; libopenblas0-pthread: fast BLAS (the default is slow);
# python3-torch/torchvision: the test oracle and benchmarks; dataset-fashion-mnist: the main job's data;
# zlib1g-dev: CRC-32 for torch.save (without it the build uses the zlib node exports);
# python3-protobuf, python3-crcmod: the TensorBoard test oracle reads event files with them;
# libgloo-dev: gloo's headers, which torch.distributed's native half (c10d's gloo backend) includes;
# python3-scipy: the oracle of the data sets stored as MATLAB files (torchvision reads them with it).
PACKAGES=(libtorch-dev libopenblas0-pthread python3-torch python3-torchvision dataset-fashion-mnist
          ccache cmake g++ make python3 zlib1g-dev python3-protobuf python3-crcmod libgloo-dev python3-scipy)

missing=()
if command -v dpkg-query >/dev/null; then
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
else
  missing=("${PACKAGES[@]}")
fi

if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "setup: these packages are missing; install them (Debian/Ubuntu) with:"
    echo "  sudo apt-get install ${missing[*]}"
    echo "or point LIBTORCH at a libtorch and TORCH_NODE_PYTHON at a Python with torch."
    command -v dpkg-query >/dev/null && exit 1
  fi
fi

# --ignore-scripts: npm would otherwise run `node-gyp rebuild` for our binding.gyp on install,
# compiling the addon a second time before `npm run build` does (no dependency needs a script).
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi
npm run build
