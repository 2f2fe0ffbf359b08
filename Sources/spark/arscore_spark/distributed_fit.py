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


def make_window_pass(shard_folders, history_end, max_bad_rows):
    """The mapPartitions function of a call-window pass: (shard index, statistics JSON text) per shard index given.

    Without ``history_end`` it is the range pass (each shard's first invoice date and data end); with it, the
    shard's population sums and candidate sample rows for the training history ending that day.
    """

    def window_pass(indices):
        binary = executor_binary()
        scratch = tempfile.mkdtemp(prefix="arscore-fit-shard-")
        for index in indices:
            out = os.path.join(scratch, "window-%d.json" % index)
            arguments = ["fit-shard", "call_window", "--data", shard_folders[index], "--out", out,
                         "--max-bad-rows", repr(float(max_bad_rows))]
            if history_end is not None:
                arguments += ["--history-end", history_end]
            run_arscore(binary, arguments)
            with open(out) as handle:
                yield index, handle.read()

    return window_pass


def fit_call_window_distributed(spark, shard_folders, model_out, horizon=30, snapshots="monthly", holdout=2,
                                max_bad_rows=0.01, work=None, binary=None):
    """Fits the call-window model over the shard export folders of one ``arscore partition`` run.

    Two passes (docs/SCALE-OUT.md, "The call-window model"): the shards' date ranges give the first holdout date of
    ``arscore train``'s split (``horizon``, ``snapshots``, ``holdout`` as given to train); then each shard's window
    sums and candidate rows are combined on the driver into ``model_out``, the call_window.json ``arscore train``
    writes on the whole export. Shard folders must be POSIX paths every executor sees. Returns the history end
    (YYYY-MM-DD). Raises ArscoreFailed when a shard or the combine fails (arscore's error line names the file).
    """
    binary = find_arscore(binary)
    work = work or tempfile.mkdtemp(prefix="arscore-window-fit-")
    os.makedirs(work, exist_ok=True)
    context = spark.sparkContext
    context.addFile(binary)
    shards = context.parallelize(range(len(shard_folders)), len(shard_folders))
    split = ["--horizon", str(horizon), "--snapshots", snapshots, "--holdout", str(holdout)]
    history_end = None
    for name in ("range", "statistics"):
        collected = dict(shards.mapPartitions(make_window_pass(list(shard_folders), history_end, max_bad_rows))
                         .collect())
        stats = []
        for index in range(len(shard_folders)):
            path = os.path.join(work, "window-%s-shard-%04d.json" % (name, index))
            with open(path, "w") as handle:
                handle.write(collected[index])
            stats.append(path)
        out = os.path.join(work, "history-end.json") if history_end is None else model_out
        verdict = run_arscore(binary, ["fit-combine", "call_window", "--stats"] + stats + split + ["--out", out]).strip()
        if history_end is None:
            if not verdict.startswith("history-end "):
                raise RuntimeError("fit-combine call_window printed %r, not the history end" % verdict)
            history_end = verdict.split(" ", 1)[1]
        elif verdict != "converged":
            raise RuntimeError("fit-combine call_window printed %r, not converged" % verdict)
    return history_end
