"""arscore on Apache Spark: sharded nightly scoring (partition -> score per shard -> merge) around the arscore binary.

The package ships the arscore binary to the executors with ``SparkContext.addFile`` and runs it there; every
capability stays in arscore itself (see README.md and docs/SCALE-OUT.md).
"""

from .binary import find_arscore, run_arscore, ArscoreFailed
from .session import spark_session

__all__ = ["find_arscore", "run_arscore", "ArscoreFailed", "spark_session"]
