#!/usr/bin/python3
"""Searches the services' logs for what they must never contain (issue 25, item 3; the rule of
docs/operations.md: no citizen ID, name or address, no token).

log_scan.py [--secrets FILE]... LOG_OR_DIR...
  - every secret listed in a secrets file ("class<TAB>value" a line: the tokens a test used,
    the citizen IDs, names and addresses of the records it made, the demo denouncers);
  - any JSON Web Token (three base64url parts, the first a JSON header: "eyJ...");
  - any 12-digit citizen ID (CCCD: province 001-096, gender/century digit, year, six digits)
    standing on its own.
A hit prints the file, the line number and the class of what was found, never the value.
Exit status 1 on any hit, 2 when there is nothing to scan.
"""
import argparse
import os
import re
import sys

JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
CITIZEN_ID = re.compile(r"(?<![0-9A-Za-z_.:/-])0(?:0[1-9]|[1-8][0-9]|9[0-6])[0-9]{9}(?![0-9A-Za-z_-])")


def log_files(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                for f in sorted(files):
                    if f.endswith(".log"):
                        yield os.path.join(root, f)
        elif os.path.exists(p):
            yield p


def load_secrets(files):
    secrets = []
    for path in files:
        if not os.path.exists(path):
            print(f"FAIL: no secrets file {path} (ctest access_matrix writes it)")
            sys.exit(2)
        with open(path, encoding="utf-8") as f:
            for line in f:
                cls, _, value = line.rstrip("\n").partition("\t")
                if len(value) >= 6:  # shorter values would match by chance
                    secrets.append((cls, value))
    return secrets


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--secrets", action="append", default=[])
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    secrets = load_secrets(args.secrets)
    files = list(log_files(args.paths))
    if not files:
        print("log scan: no service logs found in " + " ".join(args.paths))
        return 2
    hits = 0
    lines = 0
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                lines += 1
                found = set()
                if JWT.search(line):
                    found.add("a bearer token (JWT)")
                if CITIZEN_ID.search(line):
                    found.add("a citizen ID (12 digits)")
                for cls, value in secrets:
                    if value in line:
                        found.add(f"a secret of class {cls}")
                for what in sorted(found):
                    hits += 1
                    print(f"FAIL: {path}:{n}: {what}")
    print(f"log scan: {len(files)} log files, {lines} lines, {len(secrets)} secrets searched, "
          f"{hits} occurrences")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
