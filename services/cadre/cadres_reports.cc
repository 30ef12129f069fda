// Cadres: the standards report (issue 23, item 5): per unit and as of a day, people per
// professional and political-theory level, how many meet their position's standards
// (JudgeStandards, once per group of people alike counted in SQL), headcount against the
// quota; and its per-person detail (ListStandardsDetail, the verdict and why not, for a hand
// count). Computed from the history, never stored.
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/db/transaction.h"
#include "common/page_token.h"
#include "services/cadre/cadre_store_plan.h"
#include "services/cadre/cadres.h"
#include "services/cadre/cadres_internal.h"
#include "services/cadre/snapshot_cache.h"

namespace localgov::cadre {
namespace {

using internal::IsCode;

// Every unit of an agency; ListUnits pages, a report takes them all.
constexpr int kMaxUnits = 100000;

void Add(v1::UnitStandards& into, const v1::UnitStandards& line) {
  auto* r = into.GetReflection();
  const auto* d = into.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT32 || f->name() == "quota") {
      continue;
    }
    r->SetInt32(&into, f, r->GetInt32(into, f) + r->GetInt32(line, f));
  }
  if (line.quota() >= 0) into.set_quota(std::max(into.quota(), 0) + line.quota());
}

// `n` people alike (kind, position standards, qualifications held) into a unit's line.
void Count(v1::UnitStandards& line, bool contracted, const PlanStore::Held& held, int n) {
  line.set_people(line.people() + n);
  if (contracted) {
    line.set_contracted(line.contracted() + n);
  } else {
    line.set_headcount(line.headcount() + n);
  }
  int top = 0;
  for (const auto& [level, field] : held.professional) top = std::max(top, level);
  switch (top) {
    case v1::PROFESSIONAL_LEVEL_UNIVERSITY:
      line.set_professional_university(line.professional_university() + n);
      break;
    case v1::PROFESSIONAL_LEVEL_COLLEGE:
      line.set_professional_college(line.professional_college() + n);
      break;
    case v1::PROFESSIONAL_LEVEL_INTERMEDIATE:
      line.set_professional_intermediate(line.professional_intermediate() + n);
      break;
    default:  // untrained, or nothing recorded
      line.set_professional_untrained(line.professional_untrained() + n);
  }
  switch (held.political_theory) {
    case v1::POLITICAL_THEORY_LEVEL_ADVANCED:
      line.set_political_advanced(line.political_advanced() + n);
      break;
    case v1::POLITICAL_THEORY_LEVEL_INTERMEDIATE:
      line.set_political_intermediate(line.political_intermediate() + n);
      break;
    case v1::POLITICAL_THEORY_LEVEL_ELEMENTARY:
      line.set_political_elementary(line.political_elementary() + n);
      break;
    default:
      line.set_political_none(line.political_none() + n);
  }
  if (JudgeStandards(held.required, held.professional, held.political_theory, held.state_management)
          .meets) {
    line.set_meeting_standard(line.meeting_standard() + n);
  }
}

// ListStandardsDetail's pages.
constexpr int kDefaultDetailPage = 100;
constexpr int kMaxDetailPage = 500;
constexpr char kDetailToken[] = "sd1:";

}  // namespace

absl::StatusOr<v1::GetStandardsReportResponse> Cadres::GetStandardsReport(
    const CallContext& call, const v1::GetStandardsReportRequest& request) {
  Validator v;
  const bool by_unit = !request.unit_code().empty();
  if (by_unit) {
    v.Check(IsCode(request.unit_code()), "unit_code", "at most 64 characters");
    v.Check(request.agency_code().empty(), "agency_code",
            "give unit_code or agency_code, not both");
  } else {
    v.Check(IsCode(request.agency_code()), "agency_code", "required: unit_code or agency_code");
  }
  const AsOf as_of = ReadAsOf(v, request.as_of(), nullptr);
  if (!v.ok()) return v.status();
  auto out = internal::ReadInOneSnapshot(
      db_, "cadre_standards_report",
      [&](pqxx::work& tx) -> absl::StatusOr<v1::GetStandardsReportResponse> {
        const auto graph_ptr = Graph(tx);
        const AgencyGraph& graph = *graph_ptr;
        std::vector<v1::Unit> units;
        // A report is kept under its unit or agencies, its day and the snapshot it was read in
        // (snapshot_cache.h), and given again while the database stays as it is.
        std::string key = absl::StrCat(by_unit ? "unit " : "agency ", FormatDay(as_of.day));
        const std::string snapshot = SnapshotOf(tx);
        if (by_unit) {
          auto unit = CadreStore::FindUnit(tx, request.unit_code());
          if (!unit.has_value()) {
            return absl::NotFoundError(absl::StrCat("unit ", request.unit_code(), " not found"));
          }
          if (auto st = Authorise(call.access, graph, unit->agency_code()); !st.ok()) return st;
          absl::StrAppend(&key, " ", unit->code());
          if (auto kept = report_cache_.Find(key, snapshot)) return *kept;
          units.push_back(*unit);
        } else {
          if (auto st = AgencyKnown(tx, request.agency_code()); !st.ok()) return st;
          if (auto st = Authorise(call.access, graph, request.agency_code()); !st.ok()) return st;
          const auto agencies = AnsweredBy(graph, request.agency_code(), as_of.day);
          absl::StrAppend(&key, " ", request.agency_code(), " of");
          for (const auto& a : agencies) absl::StrAppend(&key, " ", a);
          if (auto kept = report_cache_.Find(key, snapshot)) return *kept;
          units = CadreStore::ListUnits(tx, CadreStore::ListUnitsQuery(agencies, "", kMaxUnits));
        }
        std::vector<std::string> codes;
        std::map<std::string, v1::UnitStandards> lines;
        for (const auto& u : units) codes.push_back(u.code());
        const auto quotas = PlanStore::Quotas(tx, codes, static_cast<int>(as_of.day.year()));
        for (const auto& u : units) {
          auto& line = lines[u.code()];
          line.set_unit_code(u.code());
          line.set_unit_name(u.name());
          line.set_agency_code(u.agency_code());
          const auto q = quotas.find(u.code());
          line.set_quota(q == quotas.end() ? -1 : q->second);
        }
        // Counted in SQL by people alike for the rule; the rule (JudgeStandards) runs once per
        // group, not once per person.
        for (const auto& g : PlanStore::StandardsGroups(tx, codes, as_of.day)) {
          auto& line = lines[g.unit_code];
          Count(line, g.contracted, g.held, g.people);
        }
        v1::GetStandardsReportResponse resp;
        resp.set_as_of(FormatDay(as_of.day));
        v1::UnitStandards total;
        total.set_unit_code("TOTAL");
        total.set_quota(-1);
        for (auto& [code, line] : lines) {
          Add(total, line);
          *resp.add_units() = std::move(line);
        }
        *resp.mutable_total() = total;
        resp.set_share_meeting_standard_permille(
            total.people() == 0
                ? 0
                : static_cast<int>((total.meeting_standard() * 1000LL + total.people() / 2) /
                                   total.people()));
        report_cache_.Put(key, snapshot,
                          std::make_shared<const v1::GetStandardsReportResponse>(resp));
        return resp;
      });
  if (!out.ok()) return out.status();
  return std::move(*out);
}

absl::StatusOr<v1::ListStandardsDetailResponse> Cadres::ListStandardsDetail(
    const CallContext& call, const v1::ListStandardsDetailRequest& request) {
  Validator v;
  v.Check(IsCode(request.unit_code()), "unit_code", "required, at most 64 characters");
  const AsOf as_of = ReadAsOf(v, request.as_of(), nullptr);
  v.Check(request.page_size() >= 0 && request.page_size() <= kMaxDetailPage, "page_size",
          absl::StrCat("must be 0..", kMaxDetailPage));
  const int limit = request.page_size() == 0 ? kDefaultDetailPage : request.page_size();
  // The token names the unit and the day it pages, and the last person given.
  int64_t after = 0;
  if (!request.page_token().empty()) {
    const auto body = DecodePageToken(request.page_token(), kDetailToken);
    std::vector<std::string> parts;
    // "day person unit": the unit last, whatever it holds.
    if (body.has_value()) parts = absl::StrSplit(*body, absl::MaxSplits(' ', 2));
    v.Check(parts.size() == 3 && parts[2] == request.unit_code() &&
                parts[0] == FormatDay(as_of.day) && absl::SimpleAtoi(parts[1], &after),
            "page_token", "not a token of this unit and day");
  }
  if (!v.ok()) return v.status();
  auto out = ReadOnly(
      db_, "cadre_standards_detail",
      [&](pqxx::work& tx) -> absl::StatusOr<v1::ListStandardsDetailResponse> {
        const auto graph_ptr = Graph(tx);
        auto unit = CadreStore::FindUnit(tx, request.unit_code());
        if (!unit.has_value()) {
          return absl::NotFoundError(absl::StrCat("unit ", request.unit_code(), " not found"));
        }
        if (auto st = Authorise(call.access, *graph_ptr, unit->agency_code()); !st.ok()) {
          return st;
        }
        auto rows = PlanStore::StandardsPeople(tx, unit->code(), as_of.day, after, limit + 1);
        v1::ListStandardsDetailResponse resp;
        resp.set_as_of(FormatDay(as_of.day));
        if (static_cast<int>(rows.size()) > limit) {
          rows.resize(limit);
          resp.set_next_page_token(EncodePageToken(
              kDetailToken,
              absl::StrCat(resp.as_of(), " ", rows.back().person_id, " ", unit->code())));
        }
        for (auto& r : rows) {
          auto* d = resp.add_people();
          d->set_person_id(r.person_id);
          d->set_full_name(std::move(r.full_name));
          d->set_contracted(r.contracted);
          d->set_position_code(std::move(r.position_code));
          d->set_position_name(std::move(r.position_name));
          const auto& h = r.held;
          d->set_required_professional_level(
              static_cast<v1::ProfessionalLevel>(h.required.professional_level));
          d->set_required_field(h.required.field);
          d->set_required_political_theory(
              static_cast<v1::PoliticalTheoryLevel>(h.required.political_theory));
          d->set_requires_state_management(h.required.state_management);
          int top = 0;
          for (const auto& [level, field] : h.professional) {
            top = std::max(top, level);
            d->add_professional_fields(field);
          }
          d->set_professional_level(static_cast<v1::ProfessionalLevel>(top));
          d->set_political_theory(static_cast<v1::PoliticalTheoryLevel>(h.political_theory));
          d->set_state_management(h.state_management);
          auto verdict =
              JudgeStandards(h.required, h.professional, h.political_theory, h.state_management);
          d->set_meets_standard(verdict.meets);
          d->set_reason(std::move(verdict.reason));
        }
        return resp;
      });
  if (!out.ok()) return out.status();
  return std::move(*out);
}

}  // namespace localgov::cadre
