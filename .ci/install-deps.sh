#!/usr/bin/env bash
# Installs what a fresh machine lacks for building, testing and the notebooks: the system libraries arscore links
# against (OpenBLAS with CBLAS, LAPACKE), pandas (notebooks-md/), Java 17 and PySpark (Sources/spark). Safe to run
# repeatedly; does nothing when everything is present.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

# apt_install PACKAGE... — Debian packages; the package lists are refreshed once per run, before the first install.
apt_updated=0
apt_install() {
    echo "installing $* ..." >&2
    if [ "$apt_updated" = 0 ]; then
        $SUDO apt-get update -qq
        apt_updated=1
    fi
    $SUDO apt-get install -y -qq "$@" >/dev/null
}

# pip_install MODULE PACKAGE PURPOSE — installs PACKAGE with pip when python3 cannot import MODULE (pip itself from
# Debian when missing; --break-system-packages only when pip refuses an externally managed Python, PEP 668), and
# warns with PURPOSE when the import still fails afterwards.
pip_install() {
    local module=$1 package=$2 purpose=$3 pip_log
    python3 -c "import $module" >/dev/null 2>&1 && return 0
    echo "installing $package (python3 -m pip) ..." >&2
    python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
    if ! pip_log=$(python3 -m pip install --quiet "$package" 2>&1); then
        if grep -q "externally-managed-environment" <<<"$pip_log"; then
            python3 -m pip install --quiet --break-system-packages "$package"
        else
            echo "$pip_log" >&2
        fi
    fi
    python3 -c "import $module" >/dev/null 2>&1 \
        || echo "warning: python3 still cannot import $module after installing: $purpose will fail" >&2
}

have_blas() {
    command -v pkg-config >/dev/null 2>&1 \
        && pkg-config --exists openblas \
        && [ -f /usr/include/lapacke.h ]
}

if ! have_blas; then
    apt_install libopenblas-dev liblapacke-dev pkg-config
    if ! have_blas; then
        echo "error: OpenBLAS/LAPACKE still not found by pkg-config after installing" >&2
        exit 1
    fi
fi

command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless

if command -v python3 >/dev/null 2>&1; then
    pip_install pandas pandas "make notebooks"
    pip_install pyspark pyspark "make spark-test"
else
    echo "warning: python3 not found: make notebooks and make spark-test need python3 with pandas and pyspark" >&2
fi
