// Cadres: agencies, units, positions, quotas, people, qualifications and the staffing view.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/calendar/calendar.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "common/page_token.h"
#include "google/protobuf/util/time_util.h"
#include "services/cadre/cadre_store_merger.h"
#include "services/cadre/cadres.h"
#include "services/cadre/cadres_internal.h"

namespace localgov::cadre {
namespace {

using internal::Audit;
using internal::IsCode;

using google::protobuf::util::TimeUtil;

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

int PageSize(Validator& v, int requested, int fallback) {
  v.Check(requested >= 0 && requested <= kMaxPageSize, "page_size",
          absl::StrCat("must be 0..", kMaxPageSize));
  return requested == 0 ? fallback : std::min(requested, kMaxPageSize);
}

}  // namespace

std::shared_ptr<const AgencyGraph> Cadres::Graph(pqxx::transaction_base& tx) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(graph_mu_);
    if (graph_ != nullptr && now - graph_read_at_ < kGraphTtl) return graph_;
  }
  auto fresh = std::make_shared<const AgencyGraph>(CadreStore::LoadAgencyGraph(tx));
  std::lock_guard<std::mutex> lock(graph_mu_);
  graph_ = fresh;
  graph_read_at_ = now;
  return fresh;
}

absl::CivilDay Cadres::Today() const { return calendar::VietnamDay(clock_.Now()); }

AsOf Cadres::ReadAsOf(Validator& v, const std::string& as_of,
                      const google::protobuf::Timestamp* known_at) const {
  AsOf out{Today(), std::nullopt};
  if (!as_of.empty()) {
    auto day = ParseDay(as_of);
    if (v.Check(day.has_value(), "as_of", "must be a day YYYY-MM-DD")) out.day = *day;
  }
  if (known_at != nullptr) {
    out.known_at = absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(*known_at));
  }
  return out;
}

absl::Status Cadres::Authorise(const AccessContext& a, const AgencyGraph& graph,
                               const std::string& agency) const {
  if (a.role == Role::kSystem) return absl::OkStatus();
  if (IsStaff(a.role) && a.office == kPersonnelOffice &&
      MayManage(graph, a.agency, agency, Today())) {
    return absl::OkStatus();
  }
  if (IsStaff(a.role) && a.office != kPersonnelOffice) {
    return absl::PermissionDeniedError(
        absl::StrCat("only the personnel office may do this: the token names ",
                     a.office.empty() ? "no office" : absl::StrCat("the office \"", a.office, "\""),
                     ", not \"personnel\""));
  }
  return absl::PermissionDeniedError(
      "only the personnel offices of the agency and of the agencies supervising it may do this");
}

absl::Status Cadres::AuthorisePerson(pqxx::transaction_base& tx, const AccessContext& a,
                                     const AgencyGraph& graph, const v1::Person& p) const {
  auto st = Authorise(a, graph, p.agency_code());
  if (st.ok() || !IsStaff(a.role)) return st;
  // A transfer recorded ahead of its day moves the person's agency only once in force: until
  // the record is next written, the agency of the assignment in force today answers too.
  auto today =
      CadreStore::RecordAsOf(tx, p.id(), v1::RECORD_KIND_ASSIGNMENT, AsOf{Today(), std::nullopt});
  if (today.has_value() && today->agency_code() != p.agency_code() &&
      Authorise(a, graph, today->agency_code()).ok()) {
    return absl::OkStatus();
  }
  return st;
}

v1::Person Cadres::Assemble(pqxx::transaction_base& tx, v1::Person p, const AsOf& as_of) {
  for (auto& q : CadreStore::Qualifications(tx, p.id(), as_of)) {
    *p.add_qualifications() = std::move(q);
  }
  if (auto a = CadreStore::RecordAsOf(tx, p.id(), v1::RECORD_KIND_ASSIGNMENT, as_of)) {
    *p.mutable_assignment() = std::move(*a);
  }
  if (auto r = CadreStore::RecordAsOf(tx, p.id(), v1::RECORD_KIND_RANK, as_of)) {
    *p.mutable_rank() = std::move(*r);
  }
  return p;
}

absl::StatusOr<v1::Unit> Cadres::CreateUnit(const CallContext& call,
                                            const v1::CreateUnitRequest& request) {
  Validator v;
  ValidateRequestId(v, "request_id", request.request_id());
  const v1::Unit& u = request.unit();
  v.Check(IsCode(u.code()), "unit.code", "required, at most 64 characters");
  v.Check(IsCode(u.agency_code()), "unit.agency_code", "required");
  v.Check(!u.name().empty(), "unit.name", "required");
  v.Check(u.parent_code() != u.code() || u.code().empty(), "unit.parent_code",
          "must be another unit");
  if (!v.ok()) return v.status();
  const std::string digest = Sha256Hex(request.SerializeAsString());
  v1::Unit result;
  Know(u.agency_code());
  auto st = RunInTransaction(db_, "cadre_create_unit", [&](pqxx::work& tx) -> absl::Status {
    if (auto st = AgencyKnown(tx, u.agency_code()); !st.ok()) return st;
    if (auto st = Authorise(call.access, *Graph(tx), u.agency_code()); !st.ok()) {
      return st;
    }
    auto replay = internal::ReplayCreate(
        tx, call, request.request_id(), digest, "unit",
        [&](const std::string& key) { return CadreStore::FindUnit(tx, key); });
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      result = **replay;
      return absl::OkStatus();
    }
    if (!u.parent_code().empty()) {
      auto parent = CadreStore::FindUnit(tx, u.parent_code());
      if (!parent.has_value()) {
        return absl::NotFoundError(absl::StrCat("parent unit ", u.parent_code(), " not found"));
      }
      if (parent->agency_code() != u.agency_code()) {
        Validator pv;
        pv.Add("unit.parent_code", "must be a unit of the same agency");
        return pv.status();
      }
    }
    if (CadreStore::FindUnit(tx, u.code()).has_value()) {
      return absl::AlreadyExistsError(absl::StrCat("unit ", u.code(), " exists"));
    }
    CadreStore::InsertUnit(tx, u, clock_.Now());
    result = u;
    StoreIdempotentResponse(tx, call.access.subject, call.method, request.request_id(), u.code());
    return AppendAudit(tx, Audit(call, "CreateUnit", "unit", u.code(), digest), clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

absl::StatusOr<v1::ListUnitsResponse> Cadres::ListUnits(const CallContext& call,
                                                        const v1::ListUnitsRequest& request) {
  Validator v;
  v.Check(IsCode(request.agency_code()), "agency_code", "required");
  const int limit = PageSize(v, request.page_size(), kDefaultPageSize);
  std::string after;
  if (!request.page_token().empty()) {
    auto body = DecodePageToken(request.page_token(), "cu1:");
    if (v.Check(body.has_value(), "page_token", "not a token of this list")) after = *body;
  }
  if (!v.ok()) return v.status();
  auto out = ReadOnly(
      db_, "cadre_list_units", [&](pqxx::work& tx) -> absl::StatusOr<v1::ListUnitsResponse> {
        if (auto st = AgencyKnown(tx, request.agency_code()); !st.ok()) return st;
        const auto graph_ptr = Graph(tx);
        const AgencyGraph& graph = *graph_ptr;
        if (auto st = Authorise(call.access, graph, request.agency_code()); !st.ok()) return st;
        auto units = CadreStore::ListUnits(
            tx, CadreStore::ListUnitsQuery(AnsweredBy(graph, request.agency_code(), Today()), after,
                                           limit + 1));
        v1::ListUnitsResponse resp;
        for (size_t i = 0; i < units.size() && static_cast<int>(i) < limit; ++i) {
          *resp.add_units() = units[i];
        }
        if (static_cast<int>(units.size()) > limit) {
          resp.set_next_page_token(EncodePageToken("cu1:", units[limit - 1].code()));
        }
        return resp;
      });
  if (!out.ok()) return out.status();
  return std::move(*out);
}

absl::StatusOr<v1::Position> Cadres::CreatePosition(const CallContext& call,
                                                    const v1::CreatePositionRequest& request) {
  Validator v;
  ValidateRequestId(v, "request_id", request.request_id());
  v1::Position p = request.position();
  p.clear_holders();
  v.Check(IsCode(p.code()), "position.code", "required, at most 64 characters");
  v.Check(IsCode(p.unit_code()), "position.unit_code", "required");
  v.Check(!p.name().empty(), "position.name", "required");
  v.Check(p.required_rank() != v1::RANK_UNSPECIFIED, "position.required_rank", "required");
  v.Check(p.max_holders() >= 1 && p.max_holders() <= 1000, "position.max_holders",
          "must be 1..1000");
  v.Check(!p.leadership() || p.max_holders() == 1, "position.max_holders",
          "a leadership position has one holder");
  if (!v.ok()) return v.status();
  const std::string digest = Sha256Hex(request.SerializeAsString());
  v1::Position result;
  auto st = RunInTransaction(db_, "cadre_create_position", [&](pqxx::work& tx) -> absl::Status {
    auto unit = CadreStore::FindUnit(tx, p.unit_code());
    if (!unit.has_value()) {
      return absl::NotFoundError(absl::StrCat("unit ", p.unit_code(), " not found"));
    }
    if (auto st = Authorise(call.access, *Graph(tx), unit->agency_code()); !st.ok()) {
      return st;
    }
    auto replay = internal::ReplayCreate(
        tx, call, request.request_id(), digest, "position",
        [&](const std::string& key) { return CadreStore::FindPosition(tx, key, false); });
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      result = **replay;
      return absl::OkStatus();
    }
    if (CadreStore::FindPosition(tx, p.code(), false).has_value()) {
      return absl::AlreadyExistsError(absl::StrCat("position ", p.code(), " exists"));
    }
    CadreStore::InsertPosition(tx, p, clock_.Now());
    result = p;
    StoreIdempotentResponse(tx, call.access.subject, call.method, request.request_id(), p.code());
    return AppendAudit(tx, Audit(call, "CreatePosition", "position", p.code(), digest),
                       clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

absl::StatusOr<v1::Quota> Cadres::SetQuota(const CallContext& call,
                                           const v1::SetQuotaRequest& request) {
  Validator v;
  v.Check(IsCode(request.unit_code()), "unit_code", "required");
  v.Check(request.year() >= 2000 && request.year() <= 2100, "year", "must be 2000..2100");
  v.Check(request.quota() >= 0 && request.quota() <= 100000, "quota", "must be 0..100000");
  ValidateOptionalRequestId(v, "request_id", request.request_id());
  if (!v.ok()) return v.status();
  const IdempotencyKey key = internal::ChangeKey(call, request);
  v1::Quota result;
  auto st = RunInTransaction(db_, "cadre_set_quota", [&](pqxx::work& tx) -> absl::Status {
    auto unit = CadreStore::FindUnit(tx, request.unit_code());
    if (!unit.has_value()) {
      return absl::NotFoundError(absl::StrCat("unit ", request.unit_code(), " not found"));
    }
    if (auto st = Authorise(call.access, *Graph(tx), unit->agency_code()); !st.ok()) {
      return st;
    }
    auto replayed = ReplayStoredAnswer(tx, key, result);
    if (!replayed.ok()) return replayed.status();
    if (*replayed) return absl::OkStatus();
    auto found = CadreStore::FindQuota(tx, request.unit_code(), request.year(), true);
    const int64_t at = found.has_value() ? found->version() : 0;
    if (at != request.expected_version()) {
      return absl::AbortedError(absl::StrCat("the quota is at version ", at, ", not ",
                                             request.expected_version(), "; read it again"));
    }
    result.set_unit_code(request.unit_code());
    result.set_year(request.year());
    result.set_quota(request.quota());
    result.set_version(at + 1);
    if (found.has_value()) {
      CadreStore::UpdateQuota(tx, result);
    } else {
      CadreStore::InsertQuota(tx, result);
    }
    StoreOptionalIdempotentResponse(tx, key, result.SerializeAsString());
    return AppendAudit(
        tx,
        Audit(call, "SetQuota", "quota", absl::StrCat(request.unit_code(), "/", request.year()),
              absl::StrCat(found.has_value() ? found->quota() : -1, "->", request.quota())),
        clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

absl::StatusOr<v1::GetUnitStaffingResponse> Cadres::GetUnitStaffing(
    const CallContext& call, const v1::GetUnitStaffingRequest& request) {
  Validator v;
  v.Check(IsCode(request.unit_code()), "unit_code", "required");
  const AsOf as_of =
      ReadAsOf(v, request.as_of(), request.has_known_at() ? &request.known_at() : nullptr);
  if (!v.ok()) return v.status();
  auto out = ReadOnly(
      db_, "cadre_unit_staffing",
      [&](pqxx::work& tx) -> absl::StatusOr<v1::GetUnitStaffingResponse> {
        // An old unit code answers, from its merger's day, with the successor's unit.
        const std::string moved_to =
            CadreMergerStore::MovedTo(tx, request.unit_code(), as_of.day).value_or("");
        auto unit = CadreStore::FindUnit(tx, moved_to.empty() ? request.unit_code() : moved_to);
        if (!unit.has_value()) {
          return absl::NotFoundError(absl::StrCat("unit ", request.unit_code(), " not found"));
        }
        if (auto st = Authorise(call.access, *Graph(tx), unit->agency_code()); !st.ok()) {
          return st;
        }
        v1::GetUnitStaffingResponse resp;
        resp.set_moved_to_unit_code(moved_to);
        *resp.mutable_unit() = *unit;
        resp.set_as_of(FormatDay(as_of.day));
        const auto heads =
            CadreStore::CountHeads(tx, CadreStore::HeadcountQuery(unit->code(), as_of));
        resp.set_headcount(heads.counted);
        resp.set_contracted(heads.contracted);
        if (auto q = CadreStore::FindQuota(tx, unit->code(), static_cast<int>(as_of.day.year()),
                                           false)) {
          *resp.mutable_quota() = *q;
          resp.set_vacancies(q->quota() - heads.counted);
        }
        for (auto& p : CadreStore::Positions(tx, CadreStore::PositionsQuery(unit->code(), as_of))) {
          *resp.add_positions() = std::move(p);
        }
        return resp;
      });
  if (!out.ok()) return out.status();
  return std::move(*out);
}

absl::StatusOr<v1::Person> Cadres::CreatePerson(const CallContext& call,
                                                const v1::CreatePersonRequest& request) {
  Validator v;
  ValidateRequestId(v, "request_id", request.request_id());
  v1::Person p = request.person();
  p.clear_id();
  p.clear_version();
  p.clear_qualifications();
  p.clear_assignment();
  p.clear_rank();
  v.Check(p.kind() != v1::PERSON_KIND_UNSPECIFIED, "person.kind", "required");
  v.Check(p.gender() != v1::GENDER_UNSPECIFIED, "person.gender", "required");
  v.Check(!p.full_name().empty(), "person.full_name", "required");
  v.Check(IsCode(p.agency_code()), "person.agency_code", "required");
  const auto birth = ParseDay(p.birth_date());
  v.Check(birth.has_value() && *birth <= Today(), "person.birth_date",
          "required: a day YYYY-MM-DD, not in the future");
  const std::string id_problem = CitizenIdProblem(
      p.citizen_id(), birth,
      p.gender() == v1::GENDER_UNSPECIFIED ? std::nullopt
                                           : std::optional<bool>(p.gender() == v1::GENDER_FEMALE));
  v.Check(id_problem.empty(), "person.citizen_id", id_problem);  // never quotes the value
  if (!v.ok()) return v.status();
  const std::string digest = Sha256Hex(request.SerializeAsString());
  v1::Person result;
  Know(p.agency_code());
  auto st = RunInTransaction(db_, "cadre_create_person", [&](pqxx::work& tx) -> absl::Status {
    if (auto st = AgencyKnown(tx, p.agency_code()); !st.ok()) return st;
    if (auto st = Authorise(call.access, *Graph(tx), p.agency_code()); !st.ok()) {
      return st;
    }
    auto replay = internal::ReplayCreate(
        tx, call, request.request_id(), digest, "person", [&](const std::string& key) {
          return CadreStore::FindPerson(tx, internal::StoredId(key), false);
        });
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      result = **replay;
      return absl::OkStatus();
    }
    if (CadreStore::PersonIdByCitizenId(tx, p.citizen_id()).has_value()) {
      return absl::AlreadyExistsError("a person with this citizen ID is recorded already");
    }
    const int64_t id = CadreStore::InsertPerson(tx, p, clock_.Now());
    result = p;
    result.set_id(id);
    result.set_version(1);
    StoreIdempotentResponse(tx, call.access.subject, call.method, request.request_id(),
                            absl::StrCat(id));
    return AppendAudit(tx, Audit(call, "CreatePerson", "person", absl::StrCat(id), digest),
                       clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

absl::StatusOr<v1::Person> Cadres::GetPerson(const CallContext& call,
                                             const v1::GetPersonRequest& request) {
  Validator v;
  v.Check(request.self() != (request.person_id() > 0), "person_id",
          "required (a positive id), or self = true without it");
  const AsOf as_of =
      ReadAsOf(v, request.as_of(), request.has_known_at() ? &request.known_at() : nullptr);
  if (!v.ok()) return v.status();
  const auto not_found = absl::NotFoundError("person not found");
  auto out = ReadOnly(db_, "cadre_get_person", [&](pqxx::work& tx) -> absl::StatusOr<v1::Person> {
    int64_t id = request.person_id();
    if (request.self()) {
      auto own = CadreStore::PersonIdByCitizenId(tx, call.access.subject);
      if (!own.has_value()) return not_found;
      id = *own;
    }
    auto p = CadreStore::FindPerson(tx, id, false);
    if (!p.has_value()) return not_found;
    const bool self = p->citizen_id() == call.access.subject;
    if (!self) {
      if (auto st = AuthorisePerson(tx, call.access, *Graph(tx), *p); !st.ok()) {
        // A citizen learns nothing about other people's records, not even that they exist.
        if (call.access.role == Role::kCitizen) return not_found;
        return st;
      }
    }
    return Assemble(tx, std::move(*p), as_of);
  });
  if (!out.ok()) return out.status();
  return std::move(*out);
}

absl::StatusOr<v1::ListPeopleResponse> Cadres::ListPeople(const CallContext& call,
                                                          const v1::ListPeopleRequest& request) {
  Validator v;
  v.Check(IsCode(request.agency_code()), "agency_code", "required");
  const int limit = PageSize(v, request.page_size(), kDefaultPageSize);
  int64_t after = 0;
  if (!request.page_token().empty()) {
    auto body = DecodePageToken(request.page_token(), "cp1:");
    v.Check(body.has_value() && absl::SimpleAtoi(*body, &after), "page_token",
            "not a token of this list");
  }
  if (!v.ok()) return v.status();
  auto out = ReadOnly(
      db_, "cadre_list_people", [&](pqxx::work& tx) -> absl::StatusOr<v1::ListPeopleResponse> {
        if (auto st = AgencyKnown(tx, request.agency_code()); !st.ok()) return st;
        const auto graph_ptr = Graph(tx);
        const AgencyGraph& graph = *graph_ptr;
        if (auto st = Authorise(call.access, graph, request.agency_code()); !st.ok()) return st;
        auto people = CadreStore::ListPeople(
            tx, CadreStore::ListPeopleQuery(AnsweredBy(graph, request.agency_code(), Today()),
                                            after, limit + 1));
        v1::ListPeopleResponse resp;
        for (size_t i = 0; i < people.size() && static_cast<int>(i) < limit; ++i) {
          people[i].set_citizen_id(MaskCitizenId(people[i].citizen_id()));
          *resp.add_people() = std::move(people[i]);
        }
        if (static_cast<int>(people.size()) > limit) {
          resp.set_next_page_token(EncodePageToken("cp1:", absl::StrCat(people[limit - 1].id())));
        }
        return resp;
      });
  if (!out.ok()) return out.status();
  return std::move(*out);
}

absl::StatusOr<v1::Person> Cadres::AddQualification(const CallContext& call,
                                                    const v1::AddQualificationRequest& request) {
  Validator v;
  v.Check(request.person_id() > 0, "person_id", "required");
  v.Check(request.expected_version() > 0, "expected_version", "required: the version last read");
  const auto& q = request.qualification();
  v.Check(q.category() != v1::QUALIFICATION_CATEGORY_UNSPECIFIED, "qualification.category",
          "required");
  if (q.category() == v1::QUALIFICATION_CATEGORY_PROFESSIONAL) {
    v.Check(v1::ProfessionalLevel_IsValid(q.level()) && q.level() > 0, "qualification.level",
            "a ProfessionalLevel (1 untrained .. 4 university)");
  } else if (q.category() == v1::QUALIFICATION_CATEGORY_POLITICAL_THEORY) {
    v.Check(v1::PoliticalTheoryLevel_IsValid(q.level()) && q.level() > 0, "qualification.level",
            "a PoliticalTheoryLevel (1 elementary .. 3 advanced)");
  } else {
    v.Check(q.level() == 0, "qualification.level", "must be 0 for this category");
  }
  const auto awarded = ParseDay(q.awarded_date());
  v.Check(awarded.has_value() && *awarded <= Today(), "qualification.awarded_date",
          "required: a day YYYY-MM-DD, not in the future");
  ValidateOptionalRequestId(v, "request_id", request.request_id());
  if (!v.ok()) return v.status();
  const IdempotencyKey key = internal::ChangeKey(call, request);
  v1::Person result;
  auto st = RunInTransaction(db_, "cadre_add_qualification", [&](pqxx::work& tx) -> absl::Status {
    auto p = CadreStore::FindPerson(tx, request.person_id(), true);
    if (!p.has_value()) return absl::NotFoundError("person not found");
    if (auto st = AuthorisePerson(tx, call.access, *Graph(tx), *p); !st.ok()) {
      return st;
    }
    auto replayed = ReplayStoredAnswer(tx, key, result);
    if (!replayed.ok()) return replayed.status();
    if (*replayed) return absl::OkStatus();
    if (p->version() != request.expected_version()) {
      return absl::AbortedError(absl::StrCat("the person is at version ", p->version(), ", not ",
                                             request.expected_version(), "; read it again"));
    }
    const int64_t id = CadreStore::InsertQualification(tx, p->id(), q, clock_.Now());
    CadreStore::BumpVersion(tx, p->id(), p->version(), "");
    p->set_version(p->version() + 1);
    result = Assemble(tx, *p, AsOf{Today(), std::nullopt});
    StoreOptionalIdempotentResponse(tx, key, result.SerializeAsString());
    return AppendAudit(
        tx,
        Audit(call, "AddQualification", "person", absl::StrCat(p->id()),
              absl::StrCat("qualification ", id, " category ", static_cast<int>(q.category()),
                           " level ", q.level(), " from ", q.awarded_date())),
        clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

}  // namespace localgov::cadre
