"""Locating the arscore binary on the driver, shipping it to the executors and running it there.

The driver ships one binary with ``SparkContext.addFile``; each task finds its copy with
``SparkFiles.get`` and runs it as a subprocess. Every failure of the binary becomes an
``ArscoreFailure`` that carries the command line, the exit status and the binary's stderr, so a
failed shard fails the Spark job with the binary's own one-line reason instead of a bare status.
"""

import os
import stat
import subprocess

#: The environment variable that names the binary on the driver; default: the release build.
BINARY_ENV = "ARSCORE_BIN"
DEFAULT_BINARY = os.path.join(".build", "release", "arscore")


class ArscoreFailure(RuntimeError):
    """The arscore binary exited with a non-zero status."""

    def __init__(self, arguments, status, stderr):
        self.arguments = list(arguments)
        self.status = status
        self.stderr = stderr
        reason = stderr.strip().splitlines()[-1] if stderr.strip() else "(no message)"
        super().__init__(f"arscore {' '.join(self.arguments)} exited with status {status}: {reason}")


def driver_binary(path=None):
    """The absolute path of the arscore binary on the driver: ``path``, else $ARSCORE_BIN, else the release build.

    Raises FileNotFoundError naming the path when it is not an executable file.
    """
    candidate = path or os.environ.get(BINARY_ENV) or DEFAULT_BINARY
    candidate = os.path.abspath(candidate)
    if not (os.path.isfile(candidate) and os.access(candidate, os.X_OK)):
        raise FileNotFoundError(
            f"{candidate}: not an executable arscore binary (build it with "
            f"`swift build -c release --product arscore` or set {BINARY_ENV})")
    return candidate


def ship_binary(spark_context, path=None):
    """Adds the driver's arscore binary to the job's files and returns the name tasks look it up by."""
    binary = driver_binary(path)
    spark_context.addFile(binary)
    return os.path.basename(binary)


def executor_binary(name):
    """The task-local copy of a binary shipped by ``ship_binary``, made executable if addFile dropped the bit."""
    from pyspark import SparkFiles

    local = SparkFiles.get(name)
    mode = os.stat(local).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(local, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return local


def run_arscore(binary, arguments, stdin_text=None):
    """Runs ``binary arguments...`` to completion and returns its stdout; raises ArscoreFailure on a non-zero exit."""
    completed = subprocess.run(
        [binary, *arguments], input=stdin_text, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise ArscoreFailure(arguments, completed.returncode, completed.stderr)
    return completed.stdout
