#!/usr/bin/env bash
# Installs the system libraries arscore links against (OpenBLAS with CBLAS, LAPACKE)
# when pkg-config cannot find them. Safe to run repeatedly; does nothing when present.
set -euo pipefail

have_deps() {
    command -v pkg-config >/dev/null 2>&1 \
        && pkg-config --exists openblas \
        && [ -f /usr/include/lapacke.h ]
}

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

if ! have_deps; then
    echo "installing libopenblas-dev liblapacke-dev pkg-config ..." >&2
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq libopenblas-dev liblapacke-dev pkg-config >/dev/null

    if ! have_deps; then
        echo "error: OpenBLAS/LAPACKE still not found by pkg-config after installing" >&2
        exit 1
    fi
fi

# pandas for the analyst notebooks (notebooks-md/, `make notebooks`), installed with pip when python3
# cannot import it. --break-system-packages only when pip refuses an externally managed Python (PEP 668).
have_pandas() {
    python3 -c "import pandas" >/dev/null 2>&1
}

if ! command -v python3 >/dev/null 2>&1; then
    echo "warning: python3 not found: make notebooks needs python3 with pandas" >&2
elif ! have_pandas; then
    echo "installing pandas (python3 -m pip) ..." >&2
    if ! python3 -m pip --version >/dev/null 2>&1; then
        $SUDO apt-get update -qq
        $SUDO apt-get install -y -qq python3-pip >/dev/null
    fi
    if ! pip_log=$(python3 -m pip install --quiet pandas 2>&1); then
        if grep -q "externally-managed-environment" <<<"$pip_log"; then
            python3 -m pip install --quiet --break-system-packages pandas
        else
            echo "$pip_log" >&2
        fi
    fi

    if ! have_pandas; then
        echo "warning: python3 still cannot import pandas after installing: make notebooks will fail" >&2
    fi
fi

# Java 17 and PySpark for the Spark driver (Sources/spark, `make spark-test`): Debian's headless JRE when no `java` is
# on PATH, pyspark with pip when python3 cannot import it (PEP 668 handled as for pandas).
if ! command -v java >/dev/null 2>&1; then
    echo "installing openjdk-17-jre-headless ..." >&2
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi

if command -v python3 >/dev/null 2>&1 && ! python3 -c "import pyspark" >/dev/null 2>&1; then
    echo "installing pyspark (python3 -m pip) ..." >&2
    if ! python3 -m pip --version >/dev/null 2>&1; then
        $SUDO apt-get update -qq
        $SUDO apt-get install -y -qq python3-pip >/dev/null
    fi
    if ! pip_log=$(python3 -m pip install --quiet pyspark 2>&1); then
        if grep -q "externally-managed-environment" <<<"$pip_log"; then
            python3 -m pip install --quiet --break-system-packages pyspark
        else
            echo "$pip_log" >&2
        fi
    fi
    if ! python3 -c "import pyspark" >/dev/null 2>&1; then
        echo "warning: python3 still cannot import pyspark after installing: make spark-test will fail" >&2
    fi
fi
