#!/usr/bin/python3
"""Calls every cell of the access matrix (tests/access/matrix.tsv) against the running services.

For each RPC of each service binary (found by server reflection, so an RPC without a row fails),
each role x agency scope is called with a token minted for it, plus once without a token:
  - own: the token names the agency of the request's target (a citizen: the target's citizen);
  - supervised: the token names an agency supervising the target's (Sở Nội vụ over a commune);
  - another: the token names an unrelated agency (a citizen: another citizen);
  - no-agency: the token names no agency (refused for staff; a citizen not in the records).
Targets are real records of the own agency, created or found first as `system` (requests.json,
"setup"), so that the agency check is reached. A cell passes when the answer is
  allowed -> neither PERMISSION_DENIED nor UNAUTHENTICATED (nor NOT_FOUND for a real target);
  PERMISSION_DENIED / UNAUTHENTICATED / NOT_FOUND (hidden) -> exactly that code.
Usage: access_matrix.py --stack-dir DIR [--record] [--only SUBSTRING] [--secrets-out FILE]
(service addresses from LOCALGOV_{DOSSIER,PETITION,CADRE,LIAISON}_ADDR, as tests/e2e/lib.sh
exports them). --record prints the table the services answer instead of checking it.
"""
import argparse
import base64
import concurrent.futures
import itertools
import json
import os
import re
import string
import subprocess
import sys
import tempfile
import time

import grpc
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import matrix_lib as M  # noqa: E402

ROOT = os.path.abspath(os.path.join(M.HERE, "..", ".."))
BUF = os.path.join(ROOT, "tools", "node_modules", ".bin", "buf")
OWN, SUPERVISING, ANOTHER = "000.00.31.H41", "000.00.08.H41", "000.00.32.H41"
# Citizens by citizen ID (the identity token's subject): the target's, and another one.
OWN_CITIZEN, OTHER_CITIZEN, NO_RECORD = "056203004518", "056190007731", "portal-visitor"
IGNORED_SERVICES = {"grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection",
                    "grpc.reflection.v1.ServerReflection"}


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Minter:
    """ES256 tokens as `localgovctl token mint` makes them, from the stack's issuer key."""

    def __init__(self, key_file):
        with open(key_file, "rb") as f:
            self.key = serialization.load_pem_private_key(f.read(), password=None)
        self.minted = []

    def mint(self, role, agency, subject):
        now = int(time.time())
        claims = {"iss": "localgov-dev", "aud": "localgov", "sub": subject, "role": role,
                  "iat": now, "exp": now + 3600}
        if agency:
            claims["agency"] = agency
        if role != "citizen":
            claims["office"] = "personnel"  # the cadre service lets its personnel office act
        head = b64(json.dumps({"alg": "ES256", "typ": "JWT"}).encode())
        body = b64(json.dumps(claims).encode())
        r, s = decode_dss_signature(self.key.sign(f"{head}.{body}".encode(),
                                                  ec.ECDSA(hashes.SHA256())))
        token = f"{head}.{body}.{b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
        self.minted.append(token)
        return token


def token_for(minter, role, scope, subject=None):
    """`subject`: the staff tokens' subject when the request needs one (a service's own
    token, "service:<chain>"); citizens' subjects are always their citizen IDs."""
    if role == "citizen":
        citizen = {"own": OWN_CITIZEN, "no-agency": NO_RECORD}.get(scope, OTHER_CITIZEN)
        return minter.mint(role, "", citizen)
    agency = {"own": OWN, "supervised": SUPERVISING, "another": ANOTHER}.get(scope, "")
    return minter.mint(role, agency, subject or f"access-{role}-{scope}")


class Services:
    def __init__(self, addrs):
        self.addrs = addrs  # server -> host:port
        self.channels = {s: grpc.insecure_channel(a) for s, a in addrs.items()}
        with tempfile.NamedTemporaryFile(suffix=".pb") as out:
            protos = subprocess.run(["find", "localgov", "google", "-name", "*.proto"],
                                    cwd=os.path.join(ROOT, "protos"), check=True,
                                    capture_output=True, text=True).stdout.split()
            subprocess.run(["protoc", "-I.", "--include_imports",
                            f"--descriptor_set_out={out.name}"] + protos,
                           cwd=os.path.join(ROOT, "protos"), check=True)
            fds = descriptor_pb2.FileDescriptorSet.FromString(open(out.name, "rb").read())
        self.pool = descriptor_pool.DescriptorPool()
        for fd in fds.file:
            self.pool.Add(fd)
        self.factory = message_factory.MessageFactory(self.pool)

    def exposed(self):
        """(server, Service/Method) of every RPC each binary serves, by server reflection."""
        out = {}
        for server, addr in self.addrs.items():
            listed = subprocess.run(
                [BUF, "curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-methods",
                 f"http://{addr}"], capture_output=True, text=True, timeout=60)
            if listed.returncode != 0:
                raise RuntimeError(f"reflection of {server} at {addr}: {listed.stderr.strip()}")
            for full in listed.stdout.split():
                service, method = full.rsplit("/", 1)
                if service in IGNORED_SERVICES:
                    continue
                out[(server, f"{service.rsplit('.', 1)[-1]}/{method}")] = full
        return out

    def method(self, full):
        service, name = full.rsplit("/", 1)
        return self.pool.FindServiceByName(service).methods_by_name[name]

    def message(self, descriptor, values):
        cls = self.factory.GetPrototype(descriptor)
        return json_format.ParseDict(values, cls(), ignore_unknown_fields=False)

    def call(self, server, full, values, token, timeout=10.0):
        """(code name, response as dict or None, details)."""
        m = self.method(full)
        request = self.message(m.input_type, values)
        resp_cls = self.factory.GetPrototype(m.output_type)
        meta = [("authorization", f"Bearer {token}")] if token else []
        ch = self.channels[server]
        path = "/" + full
        try:
            if m.server_streaming:
                stream = ch.unary_stream(path, request_serializer=lambda x: x.SerializeToString(),
                                         response_deserializer=resp_cls.FromString)
                it = stream(request, metadata=meta, timeout=1.5)
                for first in it:
                    return "OK", json_format.MessageToDict(first), ""
                return "OK", None, ""
            unary = ch.unary_unary(path, request_serializer=lambda x: x.SerializeToString(),
                                   response_deserializer=resp_cls.FromString)
            resp = unary(request, metadata=meta, timeout=timeout)
            return "OK", json_format.MessageToDict(resp, preserving_proto_field_name=True), ""
        except grpc.RpcError as e:
            return e.code().name, None, e.details() or ""


def sign_envelope(envelope, key_file):
    """As common/envelope.cc SignEnvelope: Ed25519 over the canonical digest, with the key of
    `localgovctl exchange keygen` (a key id line, then base64 of the 64-byte secret key)."""
    import hashlib
    with open(key_file, encoding="ascii") as f:
        key_id, secret = f.read().split()[:2]
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(secret)[:32])
    payload = base64.b64decode(envelope.get("payload", ""))
    envelope["payload_sha256"] = hashlib.sha256(payload).hexdigest()
    envelope["signing_key_id"] = key_id
    now_us = int(time.time() * 1e6)
    envelope["create_time"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now_us // 10**6)) + \
        f".{now_us % 10**6:06d}Z"
    types = {"ENVELOPE_TYPE_STEP_HANDOFF": 1, "ENVELOPE_TYPE_STEP_RESULT": 2,
             "ENVELOPE_TYPE_PETITION_REFERRAL": 3}
    canonical = "localgov-envelope-v1\n"
    for v in [envelope.get("id", ""), str(types[envelope["type"]]),
              envelope.get("sender_agency_code", ""), envelope.get("receiver_agency_code", ""),
              envelope.get("correlation_id", ""), envelope.get("in_reply_to", ""),
              envelope.get("content_type", ""), envelope["payload_sha256"], str(now_us), "",
              key_id]:
        canonical += f"{len(v.encode())}:{v}\n"
    digest = hashlib.sha256(canonical.encode()).digest()
    envelope["signature"] = base64.b64encode(key.sign(digest)).decode()
    return envelope


def substitute(value, fixtures, uid):
    text = json.dumps(value)
    text = text.replace("$uid", uid)
    return json.loads(string.Template(text).substitute(fixtures))


def pick(data, path):
    for part in path.split("."):
        if isinstance(data, list):
            data = data[int(part)]
        else:
            data = data[part]
    return data


class Runner:
    def __init__(self, services, minter, spec):
        self.s = services
        self.minter = minter
        self.spec = spec
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600))  # Vietnam
        self.fixtures = {"own": OWN, "supervising": SUPERVISING, "another": ANOTHER,
                         "own_citizen": OWN_CITIZEN, "other_citizen": OTHER_CITIZEN,
                         "today": today, "year": today[:4]}
        self.counter = itertools.count(1)
        self.system = minter.mint("system", OWN, "access-setup")
        self.responses = []  # setup answers: the names and IDs the logs must not show

    def uid(self):
        return f"access-{os.getpid()}-{next(self.counter)}"

    def setup(self, exposed):
        by_short = {k[1]: (k[0], v) for k, v in exposed.items()}
        for step in self.spec["setup"]:
            server, full = by_short[step["rpc"]] if "server" not in step else (
                step["server"], exposed[(step["server"], step["rpc"])])
            token = self.system
            if "as" in step:
                role, agency, subject = step["as"]
                token = self.minter.mint(role, substitute(agency, self.fixtures, ""),
                                         substitute(subject, self.fixtures, ""))
            req = substitute(step["request"], self.fixtures, self.uid())
            code, resp, details = self.s.call(server, full, req, token)
            if code != "OK" and not step.get("may_fail"):
                raise RuntimeError(f"setup {step['rpc']}: {code} {details}")
            if resp is not None:
                self.responses.append(resp)
            for name, path in step.get("capture", {}).items():
                try:
                    self.fixtures[name] = str(pick(resp, path))
                except (KeyError, IndexError, TypeError) as e:
                    raise RuntimeError(f"setup {step['rpc']}: no {path} in the answer ({e})")

    def harvest_denouncers(self, exposed):
        """The demo's sealed denouncers of the own commune, read as its leader (each reading is
        recorded, as the law asks): the names, IDs and addresses the logs must not show."""
        list_rpc = exposed[("petition", "PetitionService/ListPetitions")]
        reveal = exposed[("petition", "PetitionService/RevealDenouncerIdentity")]
        leader = self.minter.mint("leader", OWN, "access-harvest")
        token, sealed = "", []
        while True:
            code, resp, details = self.s.call("petition", list_rpc, {
                "agency_code": OWN, "kind": "PETITION_KIND_DENUNCIATION", "page_size": 100,
                "page_token": token}, leader)
            if code != "OK":
                raise RuntimeError(f"listing the denunciations: {code} {details}")
            sealed += [p["code"] for p in resp.get("petitions", []) if p.get("identity_sealed")]
            token = resp.get("next_page_token", "")
            if not token:
                break
        for code in sealed:
            got, resp, details = self.s.call("petition", reveal, {
                "code": code, "reason": "Kiểm tra nhật ký dịch vụ (kiểm thử)"}, leader)
            if got != "OK":
                raise RuntimeError(f"revealing {code}: {got} {details}")
            self.responses.append(resp)
        return len(sealed)

    def request(self, row):
        entry = self.spec["requests"].get(f"{row.server} {row.rpc}") or \
            self.spec["requests"].get(row.rpc) or {"request": {}}
        return entry

    def run_row(self, row, full):
        """{(role, scope) or 'no-token': (code, details)} for every cell of `row`."""
        entry = self.request(row)
        out = {}
        # Calls most likely refused first, so that an allowed write does not change the target
        # before the refusals are checked; system last.
        order = ["citizen", "inspector", "auditor", "admin", "officer", "leader", "system"]
        def request():
            req = substitute(entry["request"], self.fixtures, self.uid())
            if "sign_with" in entry:  # a fresh signed envelope for every call
                sign_envelope(req["envelope"], self.fixtures[entry["sign_with"]])
            return req

        for scope in ["no-agency", "another", "supervised", "own"]:
            for role in order:
                req = request()
                code, _, details = self.s.call(row.server, full, req,
                                               token_for(self.minter, role, scope,
                                                         entry.get("subject")))
                out[(role, scope)] = (code, details)
        code, _, details = self.s.call(row.server, full, request(), None)
        out["no-token"] = (code, details)
        return out


def outcome_ok(expected, code, real_target):
    if expected == M.ALLOWED:
        refused = {"PERMISSION_DENIED", "UNAUTHENTICATED"}
        if real_target:
            refused.add("NOT_FOUND")
        return code not in refused
    return code == expected


def classify(code):
    return {"PERMISSION_DENIED": M.DENIED, "UNAUTHENTICATED": M.UNAUTHENTICATED,
            "NOT_FOUND": M.HIDDEN}.get(code, M.ALLOWED)


def record_line(server, rpc, result):
    cols = []
    for scope in M.SCOPES:
        roles = []
        for role in M.ROLES:
            if scope == "no-agency" and role != "citizen":
                continue
            c = classify(result[(role, scope)][0])
            if c == M.ALLOWED:
                roles.append(role)
            elif c == M.HIDDEN:
                roles.append("~" + role)
        cols.append("*" if roles == M.ROLES else (" ".join(roles) or "-"))
    nt = M.ALLOWED if classify(result["no-token"][0]) == M.ALLOWED else M.UNAUTHENTICATED
    return "\t".join([server, rpc] + cols + [nt])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stack-dir", required=True)
    ap.add_argument("--record", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--secrets-out", default="")
    ap.add_argument("--fixture", action="append", default=[],
                    help="name=value made by the caller (e.g. envelope=ID)")
    args = ap.parse_args()

    addrs = {s: os.environ[f"LOCALGOV_{s.upper()}_ADDR"] for s in M.SERVERS}
    with open(os.path.join(M.HERE, "requests.json"), encoding="utf-8") as f:
        spec = json.load(f)
    services = Services(addrs)
    minter = Minter(os.path.join(args.stack_dir, "keys", "issuer.key"))
    exposed = services.exposed()
    rows = {} if args.record else {r.key: r for r in M.load()}
    failures = []
    if not args.record:
        for key in sorted(set(exposed) - set(rows)):
            failures.append(f"{key[0]} {key[1]}: served but has no row in matrix.tsv")
        for key in sorted(set(rows) - set(exposed)):
            failures.append(f"{key[0]} {key[1]}: has a row in matrix.tsv but is not served")
    probe = {k: "x" for k in ["dossier", "petition", "reception_session", "visit", "voter_session",
                               "recommendation", "person", "round", "candidate", "envelope",
                               "denunciation", "follow_secret", "history_record", "commune_key",
                               "own", "another", "supervising", "own_citizen", "other_citizen",
                               "today", "year"]}
    probe.update(person="1", round="1", candidate="1", year="2026", history_record="1")
    for name, entry in spec["requests"].items():
        if name == "comment":
            continue
        short = name.split(" ")[-1]
        match = [v for k, v in exposed.items() if k[1] == short]
        if not match:
            failures.append(f"requests.json: {name} is not served")
            continue
        try:  # every request must parse before anything is called
            services.message(services.method(match[0]).input_type,
                             substitute(entry["request"], probe, "1"))
        except Exception as e:  # noqa: BLE001 (json_format raises several kinds)
            failures.append(f"requests.json: {name}: {e}")
    if any(f.startswith("requests.json") for f in failures):
        for f in failures:
            print("FAIL: " + f)
        return 1

    runner = Runner(services, minter, spec)
    for f in args.fixture:
        name, _, value = f.partition("=")
        runner.fixtures[name] = value
    runner.setup(exposed)
    started = time.time()
    cells = 0
    keys = [k for k in sorted(exposed, key=lambda k: (M.SERVERS.index(k[0]), k[1]))
            if (not args.only or args.only in f"{k[0]} {k[1]}") and (args.record or k in rows)]
    # Rows in parallel (each row's cells in order): the targets are written only by the calls
    # of their own row, and transitions carry a stale version, so rows do not disturb each other.
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        results = pool.map(lambda k: runner.run_row(M.Row(k[0], k[1], {}, "", "", 0),
                                                    exposed[k]), keys)
        results = list(results)
    for key, result in zip(keys, results):
        cells += len(result)
        if args.record:
            seen = sorted({f"{c}: {d[:70]}" for c, d in result.values()
                           if c not in ("PERMISSION_DENIED", "UNAUTHENTICATED")})
            print(record_line(key[0], key[1], result) + "\t# " + " | ".join(seen), flush=True)
            continue
        row = rows[key]
        real = bool(runner.request(row).get("target"))
        for (role, scope), expected in row.cells.items():
            code, details = result[(role, scope)]
            if not outcome_ok(expected, code, real):
                failures.append(f"{key[0]} {key[1]} as {role}, scope {scope}: expected "
                                f"{expected}, got {code} ({details[:120]})")
        code, details = result["no-token"]
        if not outcome_ok(row.no_token, code, False):
            failures.append(f"{key[0]} {key[1]} without a token: expected {row.no_token}, "
                            f"got {code} ({details[:120]})")
    if args.secrets_out:
        n = runner.harvest_denouncers(exposed)
        print(f"access matrix: {n} sealed denouncers of {OWN} read for the log search",
              file=sys.stderr)
        write_secrets(args.secrets_out, minter.minted, runner.responses)
    print(f"access matrix: {cells} calls in {time.time() - started:.0f} s, "
          f"{len(failures)} failures", file=sys.stderr)
    for f in failures:
        print("FAIL: " + f)
    if args.record:
        return 0
    print(f"access matrix: {len(rows)} RPCs, {cells} cells called, {len(failures)} failed")
    return 1 if failures else 0


CITIZEN_ID = re.compile(r"^\d{12}$")


def write_secrets(path, tokens, responses):
    """What the services' logs must never contain, one per line with its class: every token
    minted here, and the citizen IDs and names the setup's records hold."""
    found = set()

    def walk(x, key=""):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, k)
        elif isinstance(x, list):
            for v in x:
                walk(v, key)
        elif isinstance(x, str):
            if CITIZEN_ID.match(x):
                found.add(("citizen-id", x))
            elif key == "follow_secret":
                found.add(("follow-secret", x))
            elif key in ("full_name", "address") and len(x) >= 6:
                found.add((f"person-{key.replace('_', '-')}", x))
    for r in responses:
        walk(r)
    with open(path, "a", encoding="utf-8") as f:
        for t in tokens:
            f.write(f"token\t{t}\n")
        for cls, v in sorted(found):
            f.write(f"{cls}\t{v}\n")


if __name__ == "__main__":
    sys.exit(main())
