"""Finding and running the arscore binary, on the driver and on the executors."""

import os
import shutil
import subprocess

#: Environment variable naming the arscore binary (default: ``.build/release/arscore`` of the repository, then PATH).
BINARY_ENV = "ARSCORE_BIN"


class ArscoreFailed(RuntimeError):
    """An arscore command exited with a non-zero status; the message holds the command and its stderr."""

    def __init__(self, arguments, status, stderr):
        self.arguments = list(arguments)
        self.status = status
        self.stderr = stderr
        super().__init__(f"arscore {' '.join(self.arguments)} exited with status {status}: {stderr.strip()}")


def find_arscore(explicit=None):
    """The path of the arscore binary: ``explicit``, else $ARSCORE_BIN, else the repository's release build, else PATH.

    Raises FileNotFoundError naming every place looked at when none is an executable file.
    """
    repository = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    candidates = [explicit, os.environ.get(BINARY_ENV), os.path.join(repository, ".build", "release", "arscore"),
                  shutil.which("arscore")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    looked = [c for c in candidates if c]
    raise FileNotFoundError("no arscore binary: set $%s or build it (swift build -c release --product arscore); "
                            "looked at %s" % (BINARY_ENV, ", ".join(looked) or "nothing"))


def run_arscore(binary, arguments):
    """Runs ``binary arguments...``; returns its stdout; raises ArscoreFailed on a non-zero exit status."""
    completed = subprocess.run([binary] + list(arguments), capture_output=True, text=True)
    if completed.returncode != 0:
        raise ArscoreFailed(arguments, completed.returncode, completed.stderr)
    return completed.stdout
