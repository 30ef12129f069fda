"""Runs every shell example of README.md and docs/api.md, in order, as written, on a running stack.

Run by tests/e2e/doc_examples.sh, which starts a fresh stack and sets LOCALGOV_STACK_DIR,
LOCALGOV_GRPC_PORT_BASE, LOCALGOV_METRICS_PORT_BASE and LOCALGOV_BUILD_DIR.

- The fenced ```sh blocks of each file run in order, in bash, from a folder of links to the
  repository root's entries (what they write stays there). Each
  '##' section gets a fresh shell that has run the file's preamble (the blocks before its first
  '##' heading, e.g. docs/api.md's BUF, CTL and LOCALGOV_DEV_KEY_FILE): a section makes or names
  everything else it uses.
- The documented addresses are the stack's: 127.0.0.1:50051-50054 and :9101-9104 become this
  stack's ports, `.local/` its folder, build/ the build folder. Nothing else is rewritten.
- Each statement must succeed (exit 0), except one whose first following line is an expected
  error, `# {"code": "not_found", ...}`: it must print that code. A statement that streams
  (a Watch RPC, `localgovctl ... watch` without --count) runs for a few seconds and must have
  printed something and no error.
- tests/e2e/doc_examples.skip lists blocks not run, each with its reason:
  `FILE | HEADING | N | reason` (N: the block's number under that heading, from 1).

Arguments: -v lists every statement; WORDS run only the '##' sections whose heading contains one.
Prints every block's result with its file, line and heading; exits 1 when a block failed.
"""
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FILES = ["README.md", "docs/api.md"]
STATEMENT_TIMEOUT = 60
STREAM_SECONDS = 4


class Block:
    def __init__(self, path, line, section, heading, number, text):
        self.path, self.line, self.section, self.heading = path, line, section, heading
        self.number, self.text = number, text

    def name(self):
        return f"{self.path}:{self.line} [{self.heading}] block {self.number}"


def parse(path):
    """The sh blocks of a Markdown file: (preamble blocks, blocks under '##' headings)."""
    blocks, section, heading, fence, start, body, count = [], None, None, None, 0, [], {}
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        lines = f.read().splitlines(keepends=True)
    for number, line in enumerate(lines, 1):
        if fence is None:
            m = re.match(r"^(#{1,4}) (.*?)\s*$", line)
            if m and len(m.group(1)) >= 2:
                heading = m.group(2)
                if len(m.group(1)) == 2:
                    section = heading
            m = re.match(r"^```(\S*)\s*$", line)
            if m:
                fence, start, body = m.group(1), number, []
            continue
        if line.startswith("```"):
            if fence in ("sh", "bash", "shell"):
                count[heading] = count.get(heading, 0) + 1
                blocks.append(Block(path, start, section, heading or "(top)", count[heading],
                                    "".join(body)))
            fence = None
        else:
            body.append(line)
    return [b for b in blocks if b.section is None], [b for b in blocks if b.section is not None]


def complete(text):
    """Whether text is one or more complete shell statements (bash -n; open here-documents and
    trailing backslashes are not complete)."""
    if text.rstrip("\n").endswith("\\"):
        return False
    r = subprocess.run(["bash", "-n"], input=text, capture_output=True, text=True)
    return r.returncode == 0 and "here-document" not in r.stderr


def statements(text):
    """(statement, expected error code or None) for each statement of a block."""
    out, acc = [], ""
    for line in text.splitlines(keepends=True):
        if not acc and (not line.strip() or line.lstrip().startswith("#")):
            if out and out[-1][2] is None:  # the first comment after a statement
                m = re.match(r'^#\s*\{"code":\s*"(\w+)"', line.strip())
                out[-1][2] = m.group(1) if m else ""
            continue
        acc += line
        if complete(acc):
            out.append([acc, None, None])
            acc = ""
    if acc:
        out.append([acc, None, None])
    return [(s, code or None) for s, _, code in out]


def localise(text):
    ports = int(os.environ["LOCALGOV_GRPC_PORT_BASE"])
    metrics = int(os.environ["LOCALGOV_METRICS_PORT_BASE"])
    stack = os.environ["LOCALGOV_STACK_DIR"]
    build = os.environ.get("LOCALGOV_BUILD_DIR", os.path.join(ROOT, "build"))
    for i in range(4):
        text = text.replace(f"127.0.0.1:{50051 + i}", f"127.0.0.1:{ports + i}")
        text = text.replace(f"127.0.0.1:{9101 + i}", f"127.0.0.1:{metrics + i}")
    text = re.sub(r"(\$PWD/|(?<![\w/]))\.local/", stack + "/", text)
    if os.path.realpath(build) != os.path.join(ROOT, "build"):
        text = re.sub(r"(?<![\w/])build/", build.rstrip("/") + "/", text)
    return text


def streaming(statement):
    return bool(re.search(r"/Watch\w+\b", statement)) or (
        re.search(r"localgovctl\b.*\bwatch\b", statement) and "--count" not in statement)


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Shell:
    """One bash process; statements are sourced in it one at a time, so variables carry."""

    def __init__(self, work, cwd):
        self.work, self.n = work, 0
        self.proc = subprocess.Popen(["bash", "--noprofile", "--norc"], cwd=cwd,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     bufsize=1, start_new_session=True)

    def run(self, statement, seconds):
        self.n += 1
        script = os.path.join(self.work, f"s{self.n}.sh")
        output = os.path.join(self.work, f"o{self.n}.txt")
        with open(script, "w", encoding="utf-8") as f:
            f.write(statement)
        self.proc.stdin.write(f'source "{script}" >"{output}" 2>&1 </dev/null; echo "__rc $?"\n')
        self.proc.stdin.flush()
        deadline, timed_out = time.time() + seconds, False
        while True:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                line = self.proc.stdout.readline()
                if line.startswith("__rc "):
                    rc = int(line.split()[1])
                    break
                if not line:
                    rc = -1
                    break
            elif time.time() > deadline:
                timed_out = True
                deadline = time.time() + 10
                for pid in descendants(self.proc.pid):
                    try:
                        os.kill(pid, signal.SIGTERM)
                    except OSError:
                        pass
        with open(output, encoding="utf-8", errors="replace") as f:
            return rc, timed_out, f.read()

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def load_skips():
    skips = {}
    path = os.path.join(ROOT, "tests/e2e/doc_examples.skip")
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                parts = [p.strip() for p in line.split("|")]
                if len(parts) != 4 or not parts[3]:
                    sys.exit(f"doc_examples.skip: want FILE | HEADING | N | reason: {line!r}")
                skips[(parts[0], parts[1], int(parts[2]))] = parts[3]
    return skips


def run_block(shell, block, verbose):
    ok, notes = True, []
    for statement, expect in statements(localise(block.text)):
        stream = streaming(statement)
        rc, timed_out, output = shell.run(statement, STREAM_SECONDS if stream else STATEMENT_TIMEOUT)
        first = statement.strip().splitlines()[0][:100]
        if expect:
            good = f'"code": "{expect}"' in output
            why = f"expected error {expect}"
        elif stream and timed_out:
            # stopped by the runner as a user would (Ctrl-C): buf curl then says "canceled"
            rest = re.sub(r'\{\s*"code":\s*"canceled"[^}]*\}|Terminated', "", output)
            good = bool(rest.strip()) and '"code":' not in rest and "rror" not in rest
            why = "a stream that printed nothing or an error"
        else:
            good = rc == 0 and not timed_out
            why = "timed out" if timed_out else f"exit {rc}"
        if not good:
            ok = False
            notes.append(f"    FAILED: {first}\n      ({why}) output:\n"
                         + "".join(f"      | {l}\n" for l in output.splitlines()[-12:]))
        elif verbose:
            notes.append(f"    ok: {first}")
    return ok, notes


def main():
    verbose = "-v" in sys.argv
    only = [a for a in sys.argv[1:] if a != "-v"]  # headings containing these words only
    skips, used = load_skips(), set()
    passed, failed, skipped = [], [], []
    work = tempfile.mkdtemp(prefix="doc-examples-")
    # The examples run "from the repository root": a folder of links to its entries, so that the
    # files they write (receipts, keys, bundles) stay out of the checkout.
    cwd = os.path.join(work, "root")
    os.mkdir(cwd)
    for entry in os.listdir(ROOT):
        if entry not in (".git", ".local"):
            os.symlink(os.path.join(ROOT, entry), os.path.join(cwd, entry))
    for path in FILES:
        preamble, blocks = parse(path)
        shell, section = None, None
        for block in blocks:
            if only and not any(o in block.section for o in only):
                continue
            key = (block.path, block.heading, block.number)
            if key in skips:
                used.add(key)
                skipped.append(block)
                print(f"SKIP {block.name()}: {skips[key]}")
                continue
            if block.section != section:
                if shell:
                    shell.close()
                shell, section = Shell(work, cwd), block.section
                for p in preamble:
                    ok, notes = run_block(shell, p, verbose)
                    if not ok:
                        print(f"FAIL {p.name()} (preamble)\n" + "\n".join(notes))
            ok, notes = run_block(shell, block, verbose)
            (passed if ok else failed).append(block)
            print(f"{'PASS' if ok else 'FAIL'} {block.name()}")
            for n in notes:
                print(n)
            sys.stdout.flush()
        if shell:
            shell.close()
    for key in set() if only else set(skips) - used:
        print(f"FAIL doc_examples.skip names a block that does not exist: {key}")
        failed.append(key)
    shutil.rmtree(work, ignore_errors=True)
    print(f"doc examples: {len(passed)} passed, {len(failed)} failed, {len(skipped)} skipped "
          f"(tests/e2e/doc_examples.skip)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
