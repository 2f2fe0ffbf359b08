"""Exact distributed training on Spark: arscore fit-shard on every shard table, arscore fit-combine on the driver.

The protocol (docs/SCALE-OUT.md, "Exact distributed training"): a moments pass, then one pass per Newton evaluation.
Each pass ships the current state file's text to the executors (a broadcast), runs ``arscore fit-shard`` on each
shard table in ``mapPartitions`` and collects the statistics files' text; the driver writes them to its own scratch
folder and runs ``arscore fit-combine``, which prints ``step`` (another pass) or ``converged`` (the model file,
``arscore fit``'s format, is written). Shard tables must be POSIX paths every executor sees (shared storage).
"""

import os
import tempfile

from .binary import find_arscore, run_arscore
from .driver import executor_binary

#: Largest number of passes before the driver gives up (the solver's own limit is 100 Newton steps).
MAX_PASSES = 400


def shard_arguments(model, table, out, target=None, duration=None, event=None, features=None, weight=None,
                    state=None):
    """The ``arscore fit-shard`` arguments for one shard table."""
    arguments = ["fit-shard", model, "--table", table, "--out", out]
    if model == "logistic":
        arguments += ["--target", target]
    else:
        arguments += ["--duration", duration, "--event", event]
    if features:
        arguments += ["--features", ",".join(features)]
    if weight:
        arguments += ["--weight", weight]
    if state:
        arguments += ["--state", state]
    return arguments


def make_shard_pass(tables, model, roles, state_text):
    """The mapPartitions function of one pass: (shard index, statistics JSON text) for each shard index given."""

    def shard_pass(indices):
        binary = executor_binary()
        scratch = tempfile.mkdtemp(prefix="arscore-fit-shard-")
        state = None
        if state_text is not None:
            state = os.path.join(scratch, "state.json")
            with open(state, "w") as handle:
                handle.write(state_text.value)
        for index in indices:
            out = os.path.join(scratch, "stats-%d.json" % index)
            run_arscore(binary, shard_arguments(model, tables[index], out, state=state, **roles))
            with open(out) as handle:
                yield index, handle.read()

    return shard_pass


def fit_distributed(spark, model, tables, model_out, target=None, duration=None, event=None, features=None,
                    weight=None, l2=0.0, ties="efron", work=None, binary=None):
    """Fits ``model`` ("logistic" or "cox") over the shard ``tables`` and writes the model file to ``model_out``.

    Returns the number of passes over the shards. Raises ArscoreFailed when a shard or the driver step fails
    (the message carries arscore's error line, naming the shard file, line and column for a bad cell).
    """
    if model not in ("logistic", "cox"):
        raise ValueError("model must be logistic or cox, got %r" % model)
    binary = find_arscore(binary)
    work = work or tempfile.mkdtemp(prefix="arscore-distributed-fit-")
    os.makedirs(work, exist_ok=True)
    context = spark.sparkContext
    context.addFile(binary)
    roles = {"target": target, "duration": duration, "event": event, "features": features, "weight": weight}
    shards = context.parallelize(range(len(tables)), len(tables))
    state_path = None
    for passes in range(1, MAX_PASSES + 1):
        state_text = None
        if state_path is not None:
            with open(state_path) as handle:
                state_text = context.broadcast(handle.read())
        collected = dict(shards.mapPartitions(make_shard_pass(list(tables), model, roles, state_text)).collect())
        stats = []
        for index in range(len(tables)):
            path = os.path.join(work, "pass-%03d-shard-%04d.json" % (passes, index))
            with open(path, "w") as handle:
                handle.write(collected[index])
            stats.append(path)
        next_state = os.path.join(work, "state-%03d.json" % passes)
        arguments = ["fit-combine", model, "--stats"] + stats + ["--out", next_state]
        if state_path is None:
            arguments += ["--l2", repr(float(l2)), "--ties", ties]
        else:
            arguments += ["--state", state_path, "--model-out", model_out]
        verdict = run_arscore(binary, arguments).strip()
        state_path = next_state
        if verdict == "converged":
            return passes
    raise RuntimeError("the distributed fit did not converge in %d passes" % MAX_PASSES)
