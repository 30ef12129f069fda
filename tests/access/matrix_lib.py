"""The access matrix (tests/access/matrix.tsv): reading it and expanding it to every cell.

Shared by the test that calls every cell against the running services (access_matrix.py) and by
the generator of docs/access.md (access_doc.py), so the page and the test cannot disagree.
"""
import os

SERVERS = ["dossier", "petition", "cadre", "liaison"]
ROLES = ["citizen", "officer", "leader", "inspector", "auditor", "admin", "system"]
# The agency scope of a call: the token's agency against the agency of the request's target.
SCOPES = ["own", "supervised", "another", "no-agency"]
SCOPE_TITLES = {
    "own": "own agency",
    "supervised": "supervising agency",
    "another": "another agency",
    "no-agency": "token without agency",
}
ALLOWED, DENIED, HIDDEN, UNAUTHENTICATED = "allowed", "PERMISSION_DENIED", "NOT_FOUND", "UNAUTHENTICATED"

HERE = os.path.dirname(os.path.abspath(__file__))
MATRIX = os.path.join(HERE, "matrix.tsv")


class Row:
    def __init__(self, server, rpc, cells, no_token, note, line):
        self.server = server  # the binary serving it: dossier, petition, cadre or liaison
        self.rpc = rpc  # "DossierService/GetDossier"
        self.cells = cells  # {(role, scope): outcome}
        self.no_token = no_token  # outcome without a token
        self.note = note
        self.line = line

    @property
    def key(self):
        return (self.server, self.rpc)


def parse_roles(text, where):
    """'*' (every role), '-' (none) or role names; '~role': the target is hidden (NOT_FOUND)."""
    text = text.strip()
    if text == "*":
        return {r: ALLOWED for r in ROLES}
    if text == "-":
        return {}
    out = {}
    for word in text.split():
        outcome = ALLOWED
        if word.startswith("~"):
            outcome, word = HIDDEN, word[1:]
        if word not in ROLES:
            raise ValueError(f"{where}: unknown role {word!r}")
        if word in out:
            raise ValueError(f"{where}: role {word} twice")
        out[word] = outcome
    return out


def load(path=MATRIX):
    """The rows of the matrix, each expanded to every role x scope cell."""
    rows = []
    seen = set()
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            where = f"{os.path.basename(path)}:{n}"
            if len(parts) not in (7, 8):
                raise ValueError(f"{where}: expected server, rpc, own, supervised, another, "
                                 f"no-agency, no-token[, note] separated by tabs; "
                                 f"got {len(parts)} fields")
            server, rpc = parts[0].strip(), parts[1].strip()
            if server not in SERVERS:
                raise ValueError(f"{where}: server must be one of {', '.join(SERVERS)}")
            if rpc.count("/") != 1:
                raise ValueError(f"{where}: rpc must be Service/Method")
            if (server, rpc) in seen:
                raise ValueError(f"{where}: {server} {rpc} twice")
            seen.add((server, rpc))
            cells = {}
            for scope, text in zip(SCOPES, parts[2:6]):
                listed = parse_roles(text, f"{where} ({scope})")
                for role in ROLES:
                    if scope == "no-agency" and role != "citizen":
                        # The token verifier refuses staff tokens that name no agency.
                        if role in listed:
                            raise ValueError(f"{where}: a {role} token without agency is refused")
                        cells[(role, scope)] = UNAUTHENTICATED
                    else:
                        cells[(role, scope)] = listed.get(role, DENIED)
            no_token = parts[6].strip()
            if no_token not in (ALLOWED, UNAUTHENTICATED):
                raise ValueError(f"{where}: no-token must be allowed or UNAUTHENTICATED")
            note = parts[7].strip() if len(parts) == 8 else ""
            rows.append(Row(server, rpc, cells, no_token, note, n))
    return rows
