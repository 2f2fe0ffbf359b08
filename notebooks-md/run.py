#!/usr/bin/env python3
"""Run the analyst notebooks in notebooks-md/ and check their shown outputs.

A notebook is a Markdown file. Every ```sh block is a shell step; the ```output block right after it
(blank lines in between are allowed, nothing else) is what the step prints. For each notebook the
runner makes a fresh scratch folder and runs the steps in order there, each with
`bash -euo pipefail -c STEP`, with

    PATH          = <repository>/.build/release first, so `arscore` is the freshly built binary
    ARSCORE_ROOT  = <repository> (notebooks read $ARSCORE_ROOT/Datasets/demo, $ARSCORE_ROOT/Models/demo, ...)
    TZ=UTC, LC_ALL=C.UTF-8, PYTHONUNBUFFERED=1, PYTHONHASHSEED=0, stdin from /dev/null

Each step is its own bash process: shell variables do not carry over, files in the scratch folder do.
stdout and stderr go to the same pipe (as in a terminal) and are checked together.

Checking: trailing whitespace of every line and trailing blank lines are ignored; otherwise the output
must match exactly, except that in an expected line `...` matches any text (timestamps, hashes,
absolute paths) and a line that is only `...` matches any number of lines (including none).
A step that exits non-zero fails the notebook (later steps are skipped; write `cmd || true` or
`cmd || echo "exit status $?"` to show an expected failure).

    python3 notebooks-md/run.py                      # run and check every notebooks-md/[0-9]*.md
    python3 notebooks-md/run.py 02-read-a-queue.md   # only these notebooks (path, name or unique prefix: 02)
    python3 notebooks-md/run.py --update             # rewrite output blocks that do not match
    python3 notebooks-md/run.py --keep               # keep the scratch folders (printed)

--update leaves an output block that already matches untouched (so hand-written `...` survive) and
replaces one that does not with the actual output; a missing output block is inserted.
Exit status: 0 when every notebook matches (or was updated), 1 on a mismatch or failed step, 2 on a
setup problem (no arscore binary, no pandas, bad notebook).
"""

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BINARY_DIR = os.path.join(ROOT, ".build", "release")
STEP_TIMEOUT_SECONDS = 600

FENCE = re.compile(r"^(`{3,})[ \t]*([^`]*?)[ \t]*$")


class NotebookError(Exception):
    pass


# ---------------------------------------------------------------------------------------------------
# Parsing


class Block:
    """A fenced block: lines[start] is the opening fence, lines[end] the closing one."""

    def __init__(self, info, start, end, body):
        self.info = info
        self.start = start
        self.end = end
        self.body = body  # list of lines without newline


def parse_blocks(lines, name):
    blocks = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        ticks, info = match.group(1), match.group(2)
        j = i + 1
        while j < len(lines):
            close = re.match(r"^(`{3,})[ \t]*$", lines[j])
            if close and len(close.group(1)) >= len(ticks):
                break
            j += 1
        if j == len(lines):
            raise NotebookError(f"{name}:{i + 1}: code fence is never closed")
        blocks.append(Block(info.split()[0] if info else "", i, j, lines[i + 1:j]))
        i = j + 1
    return blocks


def steps_of(lines, name):
    """(sh block, output block or None) pairs in order."""
    blocks = parse_blocks(lines, name)
    steps = []
    for index, block in enumerate(blocks):
        if block.info == "output":
            previous = blocks[index - 1] if index > 0 else None
            if previous is None or previous.info != "sh" or not only_blank(lines, previous.end + 1, block.start):
                raise NotebookError(f"{name}:{block.start + 1}: an output block must follow a sh block directly")
            continue
        if block.info != "sh":
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is not None and following.info == "output" and only_blank(lines, block.end + 1, following.start):
            steps.append((block, following))
        else:
            steps.append((block, None))
    return steps


def only_blank(lines, start, end):
    return all(not line.strip() for line in lines[start:end])


# ---------------------------------------------------------------------------------------------------
# Matching


def normalise(lines):
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def line_pattern(expected):
    parts = expected.split("...")
    return re.compile("^" + ".*".join(re.escape(part) for part in parts) + "$", re.DOTALL)


def matches(expected, actual):
    """Line-wise match with `...` wildcards (in a line: any text; a whole line: any number of lines)."""
    expected = normalise(expected)
    actual = normalise(actual)
    patterns = [None if line.strip() == "..." else (line_pattern(line) if "..." in line else line)
                for line in expected]
    memo = {}

    def match(e, a):
        key = (e, a)
        if key in memo:
            return memo[key]
        if e == len(patterns):
            result = a == len(actual)
        elif patterns[e] is None:
            result = any(match(e + 1, k) for k in range(a, len(actual) + 1))
        elif a == len(actual):
            result = False
        elif isinstance(patterns[e], str):
            result = patterns[e] == actual[a] and match(e + 1, a + 1)
        else:
            result = patterns[e].match(actual[a]) is not None and match(e + 1, a + 1)
        memo[key] = result
        return result

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * (len(expected) + len(actual)) + 1000))
    return match(0, 0)


# ---------------------------------------------------------------------------------------------------
# Running


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def environment():
    env = dict(os.environ)
    env["PATH"] = BINARY_DIR + os.pathsep + env.get("PATH", "/usr/bin:/bin")
    env["ARSCORE_ROOT"] = ROOT
    env["TZ"] = "UTC"
    env["LC_ALL"] = "C.UTF-8"
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONHASHSEED"] = "0"
    env.pop("PYTHONSTARTUP", None)
    return env


def run_step(code, folder, env):
    started = time.monotonic()
    try:
        completed = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=folder, env=env,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   timeout=STEP_TIMEOUT_SECONDS)
        output, status = completed.stdout, completed.returncode
    except subprocess.TimeoutExpired as timeout:
        output, status = timeout.stdout or b"", f"timed out after {STEP_TIMEOUT_SECONDS} s"
    text = output.decode("utf-8", errors="replace")
    return text, status, time.monotonic() - started


def fence_for(body_lines):
    longest = 2
    for line in body_lines:
        match = re.match(r"^(`+)", line)
        if match:
            longest = max(longest, len(match.group(1)))
    return "`" * max(3, longest + 1)


def run_notebook(path, update, keep):
    name = os.path.basename(path)
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    steps = steps_of(lines, name)
    if not steps:
        raise NotebookError(f"{name}: no ```sh blocks")
    folder = tempfile.mkdtemp(prefix="arscore-notebook-" + os.path.splitext(name)[0] + "-")
    env = environment()
    failures = 0
    replacements = []  # (start, end, new lines) on `lines`, end exclusive
    started = time.monotonic()
    for number, (sh, output) in enumerate(steps, start=1):
        label = f"{name} block {number} (line {sh.start + 1})"
        text, status, seconds = run_step("\n".join(sh.body) + "\n", folder, env)
        actual = text.split("\n")
        if text.endswith("\n"):
            actual.pop()
        if status != 0:
            failures += 1
            say(f"FAIL {label}: the commands exited with status {status} after {seconds:.1f} s")
            say("---- commands")
            say("\n".join(sh.body))
            say("---- output")
            say(text.rstrip("\n"))
            say(f"(the later blocks of {name} were not run)")
            keep = True
            break
        expected = output.body if output is not None else None
        if expected is not None and matches(expected, actual):
            continue
        if update:
            fence = fence_for(actual)
            new_lines = [fence + "output"] + [line.rstrip() for line in normalise(actual)] + [fence]
            if output is not None:
                replacements.append((output.start, output.end + 1, new_lines))
            else:
                replacements.append((sh.end + 1, sh.end + 1, [""] + new_lines))
            say(f"updated {label}")
            continue
        failures += 1
        if expected is None:
            say(f"FAIL {label}: no ```output block follows this sh block (run with --update to add it)")
            continue
        say(f"FAIL {label}: output differs")
        diff = difflib.unified_diff(normalise(expected), normalise(actual), lineterm="",
                                    fromfile=f"{name} block {number}: expected (line {output.start + 2})",
                                    tofile=f"{name} block {number}: actual")
        say("\n".join(diff))
    elapsed = time.monotonic() - started
    if replacements:
        for start, end, new_lines in sorted(replacements, reverse=True):
            lines[start:end] = new_lines
        temporary = path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
        os.replace(temporary, path)
    if keep:
        say(f"scratch folder of {name}: {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    verdict = "ok  " if failures == 0 else "FAIL"
    note = f", {len(replacements)} output block(s) rewritten" if replacements else ""
    say(f"{verdict} {name}: {len(steps)} blocks in {elapsed:.1f} s{note}")
    return failures


def check_setup():
    binary = os.path.join(BINARY_DIR, "arscore")
    if not os.access(binary, os.X_OK):
        raise NotebookError(f"{binary} not found: build it first (make build, or swift build -c release --product arscore)")
    probe = subprocess.run(["python3", "-c", "import pandas"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           env=environment())
    if probe.returncode != 0:
        raise NotebookError("the notebooks need pandas, and `python3 -c 'import pandas'` failed:\n"
                            + probe.stdout.decode("utf-8", errors="replace").rstrip()
                            + "\ninstall it with: python3 -m pip install pandas  (or run .ci/install-deps.sh)")


def main():
    parser = argparse.ArgumentParser(description="Run the Markdown notebooks and check their outputs.")
    parser.add_argument("notebooks", nargs="*", help="notebook names or paths (default: notebooks-md/[0-9]*.md)")
    parser.add_argument("--update", action="store_true", help="rewrite output blocks that do not match")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folders")
    arguments = parser.parse_args()

    if arguments.notebooks:
        paths = []
        for given in arguments.notebooks:
            candidates = [given, os.path.join(HERE, given), os.path.join(HERE, given + ".md")]
            found = next((c for c in candidates if os.path.isfile(c)), None)
            if found is None:  # a unique prefix: 02 or 02-read
                prefixed = sorted(f for f in os.listdir(HERE) if f.startswith(given) and f.endswith(".md"))
                found = os.path.join(HERE, prefixed[0]) if len(prefixed) == 1 else None
            if found is None:
                print(f"run.py: no notebook {given!r}", file=sys.stderr)
                return 2
            paths.append(os.path.abspath(found))
    else:
        paths = sorted(os.path.join(HERE, f) for f in os.listdir(HERE) if re.match(r"^[0-9].*\.md$", f))
        if not paths:
            print(f"run.py: no notebooks in {HERE}", file=sys.stderr)
            return 2

    started = time.monotonic()
    failures = 0
    try:
        check_setup()
        for path in paths:
            failures += run_notebook(path, arguments.update, arguments.keep)
    except NotebookError as error:
        print(f"run.py: {error}", file=sys.stderr)
        return 2
    total = time.monotonic() - started
    if failures:
        say(f"{failures} failure(s) in {len(paths)} notebook(s), {total:.1f} s")
        return 1
    say(f"all {len(paths)} notebook(s) match, {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
