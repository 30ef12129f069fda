// Cadres: the standards report (issue 23, item 5): per unit and as of a day, people per
// professional and political-theory level, how many meet their position's standards
// (MeetsStandards), headcount against the quota. Computed from the history, never stored.
#include <map>

#include "absl/strings/str_cat.h"
#include "common/db/transaction.h"
#include "services/cadre/cadre_store_plan.h"
#include "services/cadre/cadres.h"
#include "services/cadre/cadres_internal.h"

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
  auto out = ReadOnly(
      db_, "cadre_standards_report",
      [&](pqxx::work& tx) -> absl::StatusOr<v1::GetStandardsReportResponse> {
        const auto graph_ptr = Graph(tx);
        const AgencyGraph& graph = *graph_ptr;
        std::vector<v1::Unit> units;
        if (by_unit) {
          auto unit = CadreStore::FindUnit(tx, request.unit_code());
          if (!unit.has_value()) {
            return absl::NotFoundError(absl::StrCat("unit ", request.unit_code(), " not found"));
          }
          if (auto st = Authorise(call.access, graph, unit->agency_code()); !st.ok()) return st;
          units.push_back(*unit);
        } else {
          if (auto st = AgencyKnown(tx, request.agency_code()); !st.ok()) return st;
          if (auto st = Authorise(call.access, graph, request.agency_code()); !st.ok()) return st;
          units = CadreStore::ListUnits(
              tx, CadreStore::ListUnitsQuery(AnsweredBy(graph, request.agency_code(), as_of.day),
                                             "", kMaxUnits));
        }
        std::vector<std::string> codes;
        std::map<std::string, v1::UnitStandards> lines;
        for (const auto& u : units) {
          codes.push_back(u.code());
          auto& line = lines[u.code()];
          line.set_unit_code(u.code());
          line.set_unit_name(u.name());
          line.set_agency_code(u.agency_code());
          auto q = CadreStore::FindQuota(tx, u.code(), static_cast<int>(as_of.day.year()), false);
          line.set_quota(q.has_value() ? q->quota() : -1);
        }
        for (const auto& row :
             PlanStore::Standards(tx, PlanStore::StandardsQuery(codes, as_of.day))) {
          auto& line = lines[row.unit_code];
          line.set_people(line.people() + 1);
          if (row.contracted) {
            line.set_contracted(line.contracted() + 1);
          } else {
            line.set_headcount(line.headcount() + 1);
          }
          int top = 0;
          bool meets =
              row.professional.empty() &&
              MeetsStandards(row.required, {0, "", row.political_theory, row.state_management});
          for (const auto& [level, field] : row.professional) {
            top = std::max(top, level);
            meets = meets || MeetsStandards(row.required, {level, field, row.political_theory,
                                                           row.state_management});
          }
          switch (top) {
            case v1::PROFESSIONAL_LEVEL_UNIVERSITY:
              line.set_professional_university(line.professional_university() + 1);
              break;
            case v1::PROFESSIONAL_LEVEL_COLLEGE:
              line.set_professional_college(line.professional_college() + 1);
              break;
            case v1::PROFESSIONAL_LEVEL_INTERMEDIATE:
              line.set_professional_intermediate(line.professional_intermediate() + 1);
              break;
            default:  // untrained, or nothing recorded
              line.set_professional_untrained(line.professional_untrained() + 1);
          }
          switch (row.political_theory) {
            case v1::POLITICAL_THEORY_LEVEL_ADVANCED:
              line.set_political_advanced(line.political_advanced() + 1);
              break;
            case v1::POLITICAL_THEORY_LEVEL_INTERMEDIATE:
              line.set_political_intermediate(line.political_intermediate() + 1);
              break;
            case v1::POLITICAL_THEORY_LEVEL_ELEMENTARY:
              line.set_political_elementary(line.political_elementary() + 1);
              break;
            default:
              line.set_political_none(line.political_none() + 1);
          }
          if (meets) line.set_meeting_standard(line.meeting_standard() + 1);
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
        return resp;
      });
  if (!out.ok()) return out.status();
  return std::move(*out);
}

}  // namespace localgov::cadre
