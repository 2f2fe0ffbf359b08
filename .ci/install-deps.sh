#!/usr/bin/env bash
# Installs the system libraries arscore links against (OpenBLAS with CBLAS, LAPACKE)
# when pkg-config cannot find them. Safe to run repeatedly; does nothing when present.
set -euo pipefail

have_deps() {
    command -v pkg-config >/dev/null 2>&1 \
        && pkg-config --exists openblas \
        && [ -f /usr/include/lapacke.h ]
}

if have_deps; then
    exit 0
fi

echo "installing libopenblas-dev liblapacke-dev pkg-config ..." >&2
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq libopenblas-dev liblapacke-dev pkg-config >/dev/null

if ! have_deps; then
    echo "error: OpenBLAS/LAPACKE still not found by pkg-config after installing" >&2
    exit 1
fi
