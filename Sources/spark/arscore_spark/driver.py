"""The sharded nightly job on Spark: arscore partition -> arscore score --shard-result per shard -> arscore merge.

Every path (export, bundle, policy, work folder, queue root) must be a POSIX path that the driver and every executor
see alike: shared storage such as an NFS/EFS mount or /dbfs on Databricks (arscore reads and writes local files; for
HDFS or S3, stage the export onto such a mount first, see README.md). The queue folder is published by the merge on
the driver, atomically; a failing shard fails the Spark job and nothing is published.
"""

import os
import shutil
import stat
import tempfile

from .binary import ArscoreFailed, find_arscore, run_arscore

#: The name the binary is shipped under with SparkContext.addFile.
SHIPPED_NAME = "arscore"


def shard_folder_name(shard):
    """The folder name `arscore partition` gives shard ``shard``."""
    return "shard-%04d" % shard


def executor_binary():
    """The shipped arscore binary on this executor, made executable (addFile may not keep the mode bits)."""
    from pyspark import SparkFiles

    shipped = SparkFiles.get(SHIPPED_NAME)
    if os.access(shipped, os.X_OK):
        return shipped
    private = os.path.join(tempfile.mkdtemp(prefix="arscore-bin-"), SHIPPED_NAME)
    shutil.copyfile(shipped, private)
    os.chmod(private, os.stat(private).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return private


def score_shard_arguments(shard_folder, result_folder, model, as_of, config=None, max_bad_rows=None):
    """The `arscore score --shard-result` arguments for one shard."""
    arguments = ["score", "--data", shard_folder, "--model", model, "--as-of", as_of, "--shard-result", result_folder,
                 "--quiet"]
    if config:
        arguments += ["--config", config]
    if max_bad_rows is not None:
        arguments += ["--max-bad-rows", repr(float(max_bad_rows))]
    return arguments


def make_shard_scorer(shards_root, results_root, model, as_of, config, max_bad_rows):
    """The mapPartitions function: scores each shard number it is given and yields (shard, result folder).

    A result folder left by an earlier attempt of the same task (a retried task) is removed first, so a retry starts
    clean; a failing arscore raises ArscoreFailed, which fails the task and then the job.
    """

    def score_partition(shard_numbers):
        binary = executor_binary()
        for shard in shard_numbers:
            result = os.path.join(results_root, shard_folder_name(shard))
            if os.path.exists(result):
                shutil.rmtree(result)
            run_arscore(binary, score_shard_arguments(os.path.join(shards_root, shard_folder_name(shard)), result,
                                                      model, as_of, config, max_bad_rows))
            yield shard, result

    return score_partition


def score_sharded(spark, export, model, out, as_of, shards=4, work=None, config=None, capacity=None,
                  max_bad_rows=None, binary=None):
    """Runs the sharded nightly job and returns the merge's summary line.

    ``work`` (default: a new folder beside ``out``) receives ``shards/`` (the partition) and ``results/`` (the shard
    results); it must be on storage the executors see. Raises ArscoreFailed for a failing arscore step (the message
    names it and carries arscore's error line), or the Spark error of a failed shard task.
    """
    binary = find_arscore(binary)
    work = work or tempfile.mkdtemp(prefix=".arscore-spark-", dir=os.path.dirname(os.path.abspath(out)) or ".")
    shards_root, results_root = os.path.join(work, "shards"), os.path.join(work, "results")
    os.makedirs(results_root, exist_ok=True)
    run_arscore(binary, ["partition", "--data", export, "--shards", str(shards), "--out", shards_root, "--quiet"])
    context = spark.sparkContext
    context.addFile(binary)
    scorer = make_shard_scorer(shards_root, results_root, os.path.abspath(model), as_of,
                               os.path.abspath(config) if config else None, max_bad_rows)
    scored = dict(context.parallelize(range(shards), shards).mapPartitions(scorer).collect())
    missing = sorted(set(range(shards)) - set(scored))
    if missing:
        raise RuntimeError("shards %s returned no result; nothing was published" % missing)
    merge = ["merge", "--out", out, "--quiet"]
    if capacity is not None:
        merge += ["--capacity", str(capacity)]
    if config:
        merge += ["--config", config]
    run_arscore(binary, merge + [scored[shard] for shard in range(shards)])
    return "published %s/%s from %d shards scored on Spark" % (out, as_of, shards)


__all__ = ["score_sharded", "ArscoreFailed"]
