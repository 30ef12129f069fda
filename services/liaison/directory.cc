#include "services/liaison/directory.h"

#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/audit.h"
#include "common/calendar/calendar.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/directory_snapshot.h"
#include "common/idempotency.h"
#include "common/page_token.h"
#include "google/protobuf/util/time_util.h"
#include "services/liaison/convert.h"
#include "services/liaison/directory_store.h"

namespace localgov::liaison {
namespace {

// What identifies "the same create": every field the caller chose.
std::string CreateDigest(const Agency& a) {
  return Sha256Hex(absl::StrCat(a.code.size(), ":", a.code, a.name.size(), ":", a.name, a.kind, ";",
                                a.administrative_unit_code.size(), ":",
                                a.administrative_unit_code));
}

absl::Status ValidateCode(const std::string& code) {
  Validator v;
  if (v.Check(!code.empty(), "code", "required")) {
    v.Check(IsValidAgencyCode(code), "code", "must be a national agency code like 000.00.00.G22");
  }
  return v.status();
}

}  // namespace

absl::StatusOr<Agency> Directory::CreateAgency(const CallContext& call,
                                               const std::string& request_id,
                                               const Agency& requested) {
  Validator v;
  ValidateRequestId(v, "request_id", request_id);
  ValidateNewAgency(requested, v, "agency");
  if (!v.ok()) return v.status();

  Agency agency = requested;
  agency.status = 1;  // active
  agency.created_at = clock_.Now();
  const std::string digest = CreateDigest(requested);
  Agency result;
  auto status = RunInTransaction(db_, "create_agency", [&](pqxx::work& tx) -> absl::Status {
    auto previous = ClaimIdempotencyKey(tx, call.access.subject, call.method, request_id, digest);
    if (!previous.ok()) return previous.status();
    if (previous->has_value()) {
      // A retry: answer with the agency the first call created.
      auto found = DirectoryStore::FindAgency(tx, **previous);
      if (!found.has_value()) return absl::InternalError("idempotent create lost its agency");
      result = *found;
      return absl::OkStatus();
    }
    auto created = DirectoryStore::InsertAgency(tx, agency);
    if (!created.ok()) return created.status();
    result = *created;
    DirectoryStore::BumpVersion(tx);
    auto audited = AppendAudit(
        tx,
        {call.access.subject, std::string(RoleName(call.access.role)), call.access.agency,
         "liaison.CreateAgency", "agency", result.code, call.request_id, digest},
        clock_.Now());
    if (!audited.ok()) return audited;
    StoreIdempotentResponse(tx, call.access.subject, call.method, request_id, result.code);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<Agency> Directory::GetAgency(const std::string& code) {
  if (auto st = ValidateCode(code); !st.ok()) return st;
  auto found =
      ReadOnly(db_, "get_agency", [&](auto& tx) { return DirectoryStore::FindAgency(tx, code); });
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError(absl::StrCat("agency ", code, " not found"));
  return **found;
}

absl::StatusOr<Directory::Resolved> Directory::ResolveIn(pqxx::transaction_base& tx,
                                                         const std::string& code,
                                                         std::optional<absl::CivilDay> day) {
  const std::string on = day.has_value() ? absl::FormatCivilTime(*day) : "";
  constexpr int kMaxChain = 16;  // mergers do not nest deeper; a longer chain is a cycle
  Resolved r;
  std::string current = code;
  for (int i = 0; i < kMaxChain; ++i) {
    auto a = DirectoryStore::FindAgency(tx, current);
    if (!a.has_value()) return absl::NotFoundError(absl::StrCat("agency ", current, " not found"));
    r.chain.push_back(current);
    // status_effective is YYYY-MM-DD, so text order is date order.
    if (a->status != kAgencyMerged || a->successor_code.empty() ||
        (day.has_value() && a->status_effective > on)) {
      r.agency = *a;
      return r;
    }
    current = a->successor_code;
  }
  return absl::FailedPreconditionError(absl::StrCat("the succession of ", code, " loops"));
}

absl::StatusOr<Directory::Resolved> Directory::Resolve(const std::string& code) {
  if (auto st = ValidateCode(code); !st.ok()) return st;
  absl::StatusOr<Resolved> out = absl::UnknownError("not resolved");
  auto st = RunInTransaction(
      db_, "resolve_agency",
      [&](pqxx::work& tx) -> absl::Status {
        out = ResolveIn(tx, code, calendar::VietnamDay(clock_.Now()));
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  return out;
}

namespace {

absl::Status Audit(pqxx::work& tx, const CallContext& call, const std::string& action,
                   const std::string& entity, const std::string& detail, absl::Time now) {
  return AppendAudit(
      tx,
      {call.access.subject, std::string(RoleName(call.access.role)), call.access.agency, action,
       "agency", entity, call.request_id, Sha256Hex(detail)},
      now);
}

}  // namespace

absl::StatusOr<Agency> Directory::Merge(const CallContext& call, const std::string& code,
                                        const std::string& successor,
                                        const std::string& effective_date) {
  Validator v;
  v.Check(IsValidAgencyCode(code), "code", "must be a national agency code");
  v.Check(IsValidAgencyCode(successor), "successor_code", "must be a national agency code");
  v.Check(code != successor, "successor_code", "an agency cannot merge into itself");
  absl::CivilDay day;
  v.Check(effective_date.size() == 10 && absl::ParseCivilTime(effective_date, &day),
          "effective_date", "must be a date YYYY-MM-DD");
  if (!v.ok()) return v.status();
  Agency result;
  auto st = RunInTransaction(db_, "merge_agency", [&](pqxx::work& tx) -> absl::Status {
    auto a = DirectoryStore::FindAgency(tx, code);
    if (!a.has_value()) return absl::NotFoundError(absl::StrCat("agency ", code, " not found"));
    if (a->status == kAgencyMerged) {
      return absl::FailedPreconditionError(
          absl::StrCat(code, " already merged into ", a->successor_code));
    }
    auto to = ResolveIn(tx, successor, std::nullopt);
    if (!to.ok()) return to.status();
    if (to->agency.code == code) {
      return absl::FailedPreconditionError("the successor merged into this agency: a cycle");
    }
    DirectoryStore::MarkMerged(tx, code, successor, effective_date);
    DirectoryStore::BumpVersion(tx);
    result = *DirectoryStore::FindAgency(tx, code);
    return Audit(tx, call, "liaison.MergeAgency", code,
                 absl::StrCat(code, ">", successor, "@", effective_date), clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

absl::StatusOr<Agency> Directory::SetEndpoint(const CallContext& call, const std::string& code,
                                              const std::string& endpoint) {
  Validator v;
  v.Check(IsValidAgencyCode(code), "code", "must be a national agency code");
  v.Check(IsValidReceiverEndpoint(endpoint), "receiver_endpoint",
          "service:dossier, service:petition or host:port");
  if (!v.ok()) return v.status();
  Agency result;
  auto st = RunInTransaction(db_, "set_agency_endpoint", [&](pqxx::work& tx) -> absl::Status {
    auto current = DirectoryStore::FindAgency(tx, code);
    if (!current.has_value()) {
      return absl::NotFoundError(absl::StrCat("agency ", code, " not found"));
    }
    if (current->receiver_endpoint == endpoint) {  // unchanged: nothing to write or publish
      result = *current;
      return absl::OkStatus();
    }
    DirectoryStore::SetEndpoint(tx, code, endpoint);
    DirectoryStore::BumpVersion(tx);
    result = *DirectoryStore::FindAgency(tx, code);
    return Audit(tx, call, "liaison.SetAgencyEndpoint", code, endpoint, clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

absl::Status Directory::AddKey(const CallContext& call, const AgencyKey& key) {
  Validator v;
  v.Check(IsValidAgencyCode(key.agency), "agency_code", "must be a national agency code");
  ValidateRequestId(v, "key_id", key.key_id);
  v.Check(key.public_key.size() == 32, "public_key", "must be a 32-byte Ed25519 public key");
  v.Check(key.valid_until > key.valid_from, "valid_until", "must be after valid_from");
  if (!v.ok()) return v.status();
  return RunInTransaction(db_, "add_agency_key", [&](pqxx::work& tx) -> absl::Status {
    if (!DirectoryStore::FindAgency(tx, key.agency).has_value()) {
      return absl::NotFoundError(absl::StrCat("agency ", key.agency, " not found"));
    }
    if (!DirectoryStore::InsertKey(tx, key)) {
      return absl::AlreadyExistsError(absl::StrCat(key.agency, " already has a key ", key.key_id));
    }
    DirectoryStore::BumpVersion(tx);
    return Audit(tx, call, "liaison.AddAgencyKey", key.agency,
                 absl::StrCat(key.key_id, ":", HexEncode(key.public_key)), clock_.Now());
  });
}

absl::Status Directory::Grant(const CallContext& call, const std::string& sender, int type,
                              const std::string& receiver) {
  Validator v;
  v.Check(IsValidAgencyCode(sender), "sender_agency_code", "must be a national agency code");
  if (type == v1::ENVELOPE_TYPE_STEP_CANCELLATION) {
    v.Add("type", "a cancellation travels on the STEP_HANDOFF right: grant that one");
  } else {
    v.Check(type >= 1 && type <= 5, "type", "required: an EnvelopeType");
  }
  v.Check(IsValidAgencyCode(receiver), "receiver_agency_code", "must be a national agency code");
  if (!v.ok()) return v.status();
  return RunInTransaction(db_, "grant_access", [&](pqxx::work& tx) -> absl::Status {
    for (const auto& c : {sender, receiver}) {
      if (!DirectoryStore::FindAgency(tx, c).has_value()) {
        return absl::NotFoundError(absl::StrCat("agency ", c, " not found"));
      }
    }
    // Granting again changes nothing: no new version for every consumer to fetch.
    if (!DirectoryStore::Grant(tx, sender, type, receiver)) return absl::OkStatus();
    DirectoryStore::BumpVersion(tx);
    return Audit(tx, call, "liaison.GrantAccess", receiver,
                 absl::StrCat(sender, ">", type, ">", receiver), clock_.Now());
  });
}

namespace {

// Keyset pages by code: the token is the last code of the previous page.
absl::StatusOr<std::string> AfterCode(const std::string& token) {
  if (token.empty()) return std::string();
  const auto decoded = DecodePageToken(token, "");
  const std::string code = decoded.value_or("");
  if (code.empty() || code.size() > 64) {
    Validator v;
    v.Add("page_token", "not a token this service issued");
    return v.status();
  }
  return code;
}

std::string Today(absl::Time now) { return absl::FormatCivilTime(calendar::VietnamDay(now)); }

// One keyset page by code: fetches one row more than `want` to know whether a next page
// exists; the token is the last code returned.
template <typename Row, typename Fetch>
absl::StatusOr<std::vector<Row>> PageByCode(PgPool& db, std::string_view name, int want,
                                            Fetch fetch, std::string& next_token) {
  std::vector<Row> out;
  auto st = RunInTransaction(
      db, name,
      [&](pqxx::work& tx) -> absl::Status {
        out = fetch(tx, want + 1);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  next_token.clear();
  if (static_cast<int>(out.size()) > want) {
    out.resize(want);
    next_token = absl::WebSafeBase64Escape(out.back().code);
  }
  return out;
}

// What identifies "the same create" of a unit.
std::string UnitDigest(const AdministrativeUnit& u) {
  return Sha256Hex(absl::StrCat(u.code.size(), ":", u.code, u.name.size(), ":", u.name, u.level,
                                ";", u.parent_code, ";", u.valid_from, ";", u.valid_until));
}

}  // namespace

absl::StatusOr<std::vector<Agency>> Directory::ListAgencies(DirectoryStore::AgencyFilter filter,
                                                            const std::string& page_token,
                                                            Page& page) {
  Validator v;
  v.Check(filter.kind >= 0 && filter.kind <= 8, "kind", "one of the AgencyKind values");
  v.Check(filter.status >= 0 && filter.status <= 3, "status", "one of the AgencyStatus values");
  v.Check(filter.unit.size() <= 32, "administrative_unit_code", "at most 32 characters");
  v.Check(filter.limit >= 0 && filter.limit <= 500, "page_size", "0 to 500");
  if (!v.ok()) return v.status();
  auto after = AfterCode(page_token);
  if (!after.ok()) return after.status();
  filter.after_code = *after;
  return PageByCode<Agency>(
      db_, "list_agencies", filter.limit == 0 ? 100 : filter.limit,
      [&](pqxx::work& tx, int limit) {
        filter.limit = limit;
        return DirectoryStore::ListAgencies(tx, filter);
      },
      page.next_token);
}

absl::StatusOr<AdministrativeUnit> Directory::CreateUnit(const CallContext& call,
                                                         const std::string& request_id,
                                                         const AdministrativeUnit& unit) {
  Validator v;
  ValidateRequestId(v, "request_id", request_id);
  ValidateNewUnit(unit, v, "unit");
  if (!v.ok()) return v.status();
  const std::string digest = UnitDigest(unit);
  AdministrativeUnit result;
  auto st = RunInTransaction(db_, "create_unit", [&](pqxx::work& tx) -> absl::Status {
    auto previous = ClaimIdempotencyKey(tx, call.access.subject, call.method, request_id, digest);
    if (!previous.ok()) return previous.status();
    if (previous->has_value()) {
      auto found = DirectoryStore::FindUnit(tx, **previous);
      if (!found.has_value()) return absl::InternalError("idempotent create lost its unit");
      result = *found;
      return absl::OkStatus();
    }
    if (!unit.parent_code.empty()) {
      auto parent = DirectoryStore::FindUnit(tx, unit.parent_code);
      if (!parent.has_value()) {
        return absl::NotFoundError(absl::StrCat("parent unit ", unit.parent_code, " not found"));
      }
      if (!ParentLevelAllowed(unit.level, parent->level)) {
        Validator pv;
        pv.Add("unit.parent_code", unit.level == kUnitDistrict
                                       ? "a district's parent must be a province"
                                       : "a commune's parent must be a province or a district");
        return pv.status();
      }
    }
    if (!DirectoryStore::InsertUnit(tx, unit, clock_.Now())) {
      return absl::AlreadyExistsError(absl::StrCat("unit ", unit.code, " is already registered"));
    }
    result = unit;
    DirectoryStore::BumpVersion(tx);
    StoreIdempotentResponse(tx, call.access.subject, call.method, request_id, unit.code);
    return Audit(tx, call, "liaison.CreateAdministrativeUnit", unit.code, digest, clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

absl::StatusOr<Directory::UnitRecord> Directory::GetUnit(const std::string& code) {
  Validator v;
  v.Check(!code.empty() && code.size() <= 5, "code", "required: a unit code");
  if (!v.ok()) return v.status();
  UnitRecord r;
  bool found = false;
  auto st = RunInTransaction(
      db_, "get_unit",
      [&](pqxx::work& tx) -> absl::Status {
        auto u = DirectoryStore::FindUnit(tx, code);
        found = u.has_value();
        if (!found) return absl::OkStatus();
        r.unit = *u;
        r.predecessors = DirectoryStore::Successions(tx, code, /*as_successor=*/true);
        r.successors = DirectoryStore::Successions(tx, code, /*as_successor=*/false);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  if (!found) return absl::NotFoundError(absl::StrCat("unit ", code, " not found"));
  return r;
}

absl::StatusOr<std::vector<AdministrativeUnit>> Directory::ListUnits(
    DirectoryStore::UnitFilter filter, bool include_history, const std::string& page_token,
    Page& page) {
  Validator v;
  v.Check(filter.level >= 0 && filter.level <= kUnitCommune, "level",
          "one of the UnitLevel values");
  v.Check(filter.parent.size() <= 5, "parent_code", "a unit code");
  v.Check(filter.on_date.empty() || IsValidDate(filter.on_date), "on_date",
          "must be a date YYYY-MM-DD");
  v.Check(filter.limit >= 0 && filter.limit <= 1000, "page_size", "0 to 1000");
  if (!v.ok()) return v.status();
  auto after = AfterCode(page_token);
  if (!after.ok()) return after.status();
  filter.after_code = *after;
  if (include_history) {
    filter.on_date.clear();
  } else if (filter.on_date.empty()) {
    filter.on_date = Today(clock_.Now());
  }
  return PageByCode<AdministrativeUnit>(
      db_, "list_units", filter.limit == 0 ? 200 : filter.limit,
      [&](pqxx::work& tx, int limit) {
        filter.limit = limit;
        return DirectoryStore::ListUnits(tx, filter);
      },
      page.next_token);
}

absl::StatusOr<std::vector<UnitSuccession>> Directory::RecordSuccession(
    const CallContext& call, int kind, const std::vector<std::string>& predecessors,
    const std::vector<std::string>& successors, const std::string& effective) {
  Validator v;
  ValidateSuccession(kind, predecessors, successors, effective, v);
  if (!v.ok()) return v.status();
  std::vector<UnitSuccession> links;
  auto st = RunInTransaction(db_, "record_unit_succession", [&](pqxx::work& tx) -> absl::Status {
    links.clear();
    for (const auto& code : successors) {
      auto u = DirectoryStore::FindUnit(tx, code);
      if (!u.has_value()) return absl::NotFoundError(absl::StrCat("unit ", code, " not found"));
      if (!ExistsOn(*u, effective) || !u->valid_until.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "successor ", code, " must exist from ", effective, " on (valid from ", u->valid_from,
            u->valid_until.empty() ? "" : absl::StrCat(" until ", u->valid_until), ")"));
      }
    }
    for (const auto& code : predecessors) {
      auto u = DirectoryStore::FindUnit(tx, code);
      if (!u.has_value()) return absl::NotFoundError(absl::StrCat("unit ", code, " not found"));
      if (!u->valid_until.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat(code, " already ended on ", u->valid_until));
      }
      if (u->valid_from >= effective) {
        return absl::FailedPreconditionError(
            absl::StrCat(code, " begins on ", u->valid_from, ", not before ", effective));
      }
      DirectoryStore::EndUnit(tx, code, effective);
      for (const auto& to : successors) {
        UnitSuccession l{code, to, kind, effective};
        DirectoryStore::InsertSuccession(tx, l);
        links.push_back(std::move(l));
      }
    }
    DirectoryStore::BumpVersion(tx);
    return Audit(tx, call, "liaison.RecordUnitSuccession", successors.front(),
                 absl::StrCat(kind, ":", absl::StrJoin(predecessors, ","), ">",
                              absl::StrJoin(successors, ","), "@", effective),
                 clock_.Now());
  });
  if (!st.ok()) return st;
  return links;
}

absl::StatusOr<Directory::ResolvedUnit> Directory::ResolveUnit(const std::string& code) {
  Validator v;
  v.Check(!code.empty() && code.size() <= 5, "code", "required: a unit code");
  if (!v.ok()) return v.status();
  ResolvedUnit out;
  bool found = true;
  // Successions count from their effective date, like agencies' mergers: one recorded ahead
  // of time is not followed yet. Dates are YYYY-MM-DD, so text order is date order.
  const std::string today = Today(clock_.Now());
  auto exists_today = [&](const AdministrativeUnit& u) {
    return u.valid_from <= today && (u.valid_until.empty() || u.valid_until > today);
  };
  auto st = RunInTransaction(
      db_, "resolve_unit",
      [&](pqxx::work& tx) -> absl::Status {
        out = {};
        auto first = DirectoryStore::FindUnit(tx, code);
        found = first.has_value();
        if (!found) return absl::OkStatus();
        // Breadth first over "merged into" and "split into"; successions only go forward in
        // time, and a unit is visited once, so this ends.
        constexpr size_t kMaxUnits = 256;
        std::vector<AdministrativeUnit> frontier = {*first};
        std::set<std::string> seen = {code};
        while (!frontier.empty() && seen.size() < kMaxUnits) {
          std::vector<AdministrativeUnit> next;
          for (const auto& u : frontier) {
            auto links = DirectoryStore::Successions(tx, u.code, /*as_successor=*/false);
            std::erase_if(links, [&](const UnitSuccession& l) { return l.effective > today; });
            if (links.empty()) {
              if (exists_today(u)) out.current.push_back(u);
              continue;
            }
            for (auto& l : links) {
              if (seen.insert(l.successor).second) {
                auto s = DirectoryStore::FindUnit(tx, l.successor);
                if (s.has_value()) next.push_back(*s);
              }
              out.path.push_back(std::move(l));
            }
          }
          frontier = std::move(next);
        }
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  if (!found) return absl::NotFoundError(absl::StrCat("unit ", code, " not found"));
  return out;
}

absl::StatusOr<v1::DirectoryContent> Directory::LoadContent() {
  // One REPEATABLE READ transaction: the version and the rows agree.
  DirectoryStore::Everything all;
  auto st = RunInTransaction(
      db_, "directory_snapshot",
      [&](pqxx::work& tx) -> absl::Status {
        all = DirectoryStore::LoadEverything(tx);
        return absl::OkStatus();
      },
      TxOptions{.isolation = Isolation::kRepeatableRead, .read_only = true});
  if (!st.ok()) return st;
  v1::DirectoryContent content;
  content.set_version(all.version);
  *content.mutable_issue_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now()));
  for (const auto& u : all.units) ToProto(u, content.add_units());
  for (const auto& l : all.successions) ToProto(l, content.add_successions());
  for (const auto& a : all.agencies) ToProto(a, content.add_agencies());
  for (const auto& k : all.keys) ToProto(k, content.add_keys());
  for (const auto& r : all.rights) {
    auto* e = content.add_access_rights();
    e->set_sender_agency_code(r.sender);
    e->set_type(r.type);
    e->set_receiver_agency_code(r.receiver);
  }
  return content;
}

absl::StatusOr<std::shared_ptr<const DirectoryView>> Directory::View(int64_t version) {
  {
    std::lock_guard lock(snapshot_mu_);
    if (view_ != nullptr && view_->version() >= version) return view_;
  }
  auto content = LoadContent();
  if (!content.ok()) return content.status();
  auto built = std::make_shared<const DirectoryView>(std::move(*content));
  std::lock_guard lock(snapshot_mu_);
  if (view_ == nullptr || view_->version() < built->version()) view_ = built;
  return view_;
}

absl::StatusOr<std::shared_ptr<const v1::SignedDirectory>> Directory::Snapshot(
    int64_t known_version) {
  if (key_.secret_key.empty()) {
    return absl::FailedPreconditionError("the liaison service has no signing key");
  }
  int64_t version = 0;
  auto st = RunInTransaction(
      db_, "directory_version",
      [&](pqxx::work& tx) -> absl::Status {
        version = DirectoryStore::Version(tx);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  if (known_version == version) return std::shared_ptr<const v1::SignedDirectory>();
  {
    std::lock_guard lock(snapshot_mu_);
    if (snapshot_ != nullptr && snapshot_->version() == version) return snapshot_;
  }
  auto content = LoadContent();
  if (!content.ok()) return content.status();
  auto built = std::make_shared<const v1::SignedDirectory>(SignDirectory(*content, key_));
  std::lock_guard lock(snapshot_mu_);
  if (snapshot_ == nullptr || snapshot_->version() < built->version()) snapshot_ = built;
  return built;
}

}  // namespace localgov::liaison
