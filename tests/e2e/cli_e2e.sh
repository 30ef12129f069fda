#!/usr/bin/env bash
# localgovctl as people expect it, against a fresh local stack: --output json is the
# protobuf's JSON of the response; exit codes are distinct and the documented ones
# (docs/operations.md, "localgovctl exit codes"); the bash completion is generated and
# completes; every subcommand's --help has an example whose options exist; seeding reports
# progress on stderr.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
trap stack_cleanup EXIT

# Without a stack: help, usage errors, completion, examples.
"$CTL" --help >/dev/null; rc=$?
if [ "$rc" = 0 ]; then ok "--help exits 0"; else ko "--help: $rc"; fi
"$CTL" dossier show >/dev/null 2>&1; rc=$?
if [ "$rc" = 2 ]; then ok "a missing argument exits 2"; else ko "missing argument: $rc"; fi
"$CTL" --output yaml health >/dev/null 2>&1; rc=$?
if [ "$rc" = 2 ]; then ok "a bad --output exits 2"; else ko "bad --output: $rc"; fi

comp="$("$CTL" completion bash)"
if bash -n <<<"$comp"; then ok "completion bash is a valid script"; else ko "completion script"; fi
complete_words() {  # complete_words WORD... : what completing the last word offers
  bash -c 'source /dev/stdin; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _localgovctl; echo "${COMPREPLY[*]}"' \
    _ <<<"$comp" localgovctl "$@"
}
if [ "$(complete_words dos)" = dossier ] && [ "$(complete_words dossier sh)" = show ] &&
   grep -qw -- --agency <<<"$(complete_words dossier show --)" && [ "$(complete_words --output j)" = json ] &&
   grep -qw roster <<<"$(complete_words cadre --agency 000.00.31.H41 r)"; then
  ok "completion: subcommands, nested subcommands, options, --output values"
else
  ko "completion: $(complete_words dos) / $(complete_words dossier sh) / $(complete_words dossier show --)"
fi
paths="$("$CTL" completion paths)"
if [ "$(grep -c . <<<"$paths")" -ge 60 ] && grep -qx "cadre roster" <<<"$paths" &&
   [ "$(grep -c '^  \["' <<<"$comp")" = "$(($(grep -c . <<<"$paths") + 1))" ]; then
  ok "completion covers all $(grep -c . <<<"$paths") subcommands"
else
  ko "completion paths: $paths"
fi
# Every subcommand has an example; its options are options of that command (or a parent's),
# and it gives every required one.
out="$(python3 - "$CTL" <<'PY'
import re, subprocess, sys
ctl = sys.argv[1]
paths = subprocess.run([ctl, "completion", "paths"], capture_output=True, text=True).stdout.split("\n")
paths = [p for p in paths if p]
def help_of(path):
    return subprocess.run([ctl, *path.split(), "--help"], capture_output=True, text=True).stdout
def body(h):
    return re.split(r"^Examples?:$", h, flags=re.M)[0]
def options(h):
    return set(re.findall(r"^\s+(?:-\w,)?(--[a-z][a-z-]*)", body(h), flags=re.M))
top = options(help_of(""))
problems = []
for p in paths:
    h = help_of(p)
    m = re.search(r"^Example:\n((?:  .*\n?)+)", h, flags=re.M)
    if not m:
        problems.append(f"{p}: no example")
        continue
    example = " ".join(m.group(1).split())
    if not example.startswith("localgovctl ") and "localgovctl " not in example:
        problems.append(f"{p}: example does not run localgovctl: {example}")
        continue
    words = [w.rstrip(")") for w in example[example.index("localgovctl ") + len("localgovctl "):].split()]
    # the command the example runs: the longest path its leading words (options skipped) name
    target, seen = "", []
    for w in words:
        if w.startswith("-"):
            continue
        cand = " ".join(seen + [w])
        if cand in paths:
            seen.append(w); target = cand
        elif seen and not any(q.startswith(cand + " ") for q in paths):
            break
    if not target.startswith(p):
        problems.append(f"{p}: example runs {target!r}")
        continue
    allowed = set(top)
    parts = target.split()
    for i in range(1, len(parts) + 1):
        allowed |= options(help_of(" ".join(parts[:i])))
    for o in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", example):
        if o not in allowed:
            problems.append(f"{p}: {o} is not an option of {target}")
    for o in re.findall(r"^\s+(--[a-z][a-z-]*) [A-Z]+[^\n]*REQUIRED", body(help_of(target)), flags=re.M):
        if o not in example.split():
            problems.append(f"{p}: the example lacks the required {o}")
print("\n".join(problems))
PY
)"
if [ -z "$out" ]; then ok "every subcommand's --help has an example with real, complete options"; else ko "examples:"$'\n'"$out"; fi

# The documented exit codes.
doc="$ROOT/docs/operations.md"
if grep -q '^| 2 | ' "$doc" && grep -q '^| 15 | NOT_FOUND' "$doc" && grep -q '^| 17 | PERMISSION_DENIED' "$doc"; then
  ok "docs/operations.md documents exit codes 2, 15 and 17"
else
  ko "exit codes not documented in docs/operations.md"
fi

if stack_up >/dev/null 2>&1; then ok "stack up"; else ko "stack up"; echo "e2e: $passed passed, $failed failed"; exit 1; fi

"$CTL" dossier show 000.00.31.H41-000101-9999 >/dev/null 2>&1; rc=$?
if [ "$rc" = 15 ]; then ok "NOT_FOUND exits 15"; else ko "NOT_FOUND: $rc"; fi
"$CTL" cadre --agency 000.00.32.H41 show 1570 >/dev/null 2>&1; rc=$?
if [ "$rc" = 17 ]; then ok "PERMISSION_DENIED exits 17"; else ko "PERMISSION_DENIED: $rc"; fi
"$CTL" dossier receive --procedure NO-SUCH --name "Nguyễn Văn A" --citizen-id 079203001234 >/dev/null 2>&1; rc=$?
if [ "$rc" = 13 ]; then ok "INVALID_ARGUMENT (an unknown procedure) exits 13"; else ko "INVALID_ARGUMENT: $rc"; fi

# --output json: the protobuf's JSON, parsed by a JSON parser.
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
v="$("$CTL" health --output json | json 'sorted(k for k, x in d.items() if x["status"] == "SERVING")')"
if [ "$v" = "['cadre', 'dossier', 'liaison', 'petition']" ]; then ok "health --output json"; else ko "health json: $v"; fi
v="$("$CTL" -o json info | json 'sorted(x["service"] for x in d if x["database_reachable"])')"
if [ "$v" = "['cadre', 'dossier', 'liaison', 'petition']" ]; then ok "info --output json: a ServiceInfo per service"; else ko "info json: $v"; fi
out="$("$CTL" dossier receive --procedure HT-01 --name "Trần Thị Lan" --citizen-id 079203003333 --doc to-khai --doc giay-chung-sinh 2>&1)"
CODE="$(awk '/^dossier/ {print $2}' <<<"$out")"
v="$("$CTL" dossier show "$CODE" --output json | json 'd["code"] + " " + d["procedure_code"]')"
if [ "$v" = "$CODE HT-01" ]; then ok "dossier show --output json"; else ko "dossier show json: $v ($out)"; fi
v="$("$CTL" --output json dossier list --agency 000.00.31.H41 | json 'any(x["code"] == "'"$CODE"'" for x in d["dossiers"])')"
if [ "$v" = True ]; then ok "dossier list --output json"; else ko "dossier list json: $v"; fi
if "$CTL" dossier list --agency 000.00.31.H41 | head -1 | grep -q '^CODE'; then ok "dossier list: a table by default"; else ko "dossier list table"; fi
PCODE="$("$CTL" petition list --agency 000.00.31.H41 --output json | json 'd["petitions"][0]["code"]')"
v="$("$CTL" petition show "$PCODE" --output json | json 'd["code"]')"
if [ -n "$PCODE" ] && [ "$v" = "$PCODE" ]; then ok "petition list and show --output json"; else ko "petition json: $PCODE / $v"; fi
v="$("$CTL" cadre roster --of 000.00.31.H41 --output json | json 'len(d["entries"]) > 0' 2>&1)"
if [ "$v" = True ]; then ok "cadre roster --output json"; else ko "cadre roster json: $v"; fi
v="$("$CTL" cadre show 1570 --output json | json 'd["person"]["id"]' 2>&1)"
if [ "$v" = 1570 ] || [ "$v" = "'1570'" ] || [ "$v" = "1570" ]; then ok "cadre show --output json"; else ko "cadre show json: $v"; fi

# Progress on stderr, the summary on stdout.
"$CTL" seed petitions >"$LOCALGOV_STACK_DIR/seed.out" 2>"$LOCALGOV_STACK_DIR/seed.err"; rc=$?
if [ "$rc" = 0 ] && grep -qE '^seed petitions: ([0-9]+)/\1$' "$LOCALGOV_STACK_DIR/seed.err" &&
   ! grep -q 'seed petitions:' "$LOCALGOV_STACK_DIR/seed.out" && grep -q '^seeded' "$LOCALGOV_STACK_DIR/seed.out"; then
  ok "seed petitions: progress on stderr ($(tail -1 "$LOCALGOV_STACK_DIR/seed.err"))"
else
  ko "seed progress: rc $rc, stderr $(head -3 "$LOCALGOV_STACK_DIR/seed.err")"
fi

echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
