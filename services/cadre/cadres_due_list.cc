// Cadres: what falls due (issue 23, part 1 and item 9) — the worklist of a unit, or of every
// unit of an agency page by page, computed from the history by cadre_due_rules.h: each chunk
// of people read in four statements (assignments in force, rank history, decisions,
// evaluations), never one look-up per person.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/db/transaction.h"
#include "common/page_token.h"
#include "services/cadre/cadre_due_rules.h"
#include "services/cadre/cadre_store_due.h"
#include "services/cadre/cadre_store_plan.h"
#include "services/cadre/cadres.h"
#include "services/cadre/cadres_internal.h"

namespace localgov::cadre {
namespace {

using internal::IsCode;

constexpr int kDefaultHorizonDays = 90;
constexpr int kMaxHorizonDays = 1830;
constexpr int kRosterPage = 5000;
constexpr int kDefaultDuePage = 500;
constexpr int kMaxDuePage = 5000;
constexpr int kMaxUnits = 100000;
constexpr size_t kMaxUnitBatch = 64;
constexpr std::string_view kTokenPrefix = "cd1:";

// An agency-wide list's order and keyset: unit, person (0 for the unit's quota), kind.
using DueKey = std::tuple<std::string, int64_t, int>;
DueKey KeyOf(const v1::DueItem& i) {
  return {i.unit_code(), i.person_id(), static_cast<int>(i.kind())};
}

std::optional<DueKey> ParseToken(const std::string& token) {
  auto body = DecodePageToken(token, kTokenPrefix);
  if (!body.has_value()) return std::nullopt;
  std::vector<std::string> parts = absl::StrSplit(*body, absl::MaxSplits(':', 2));
  int64_t person = 0;
  int kind = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &person) ||
      !absl::SimpleAtoi(parts[1], &kind) || person < 0 || !v1::DueKind_IsValid(kind) ||
      kind == v1::DUE_KIND_UNSPECIFIED || !IsCode(parts[2])) {
    return std::nullopt;
  }
  return DueKey{parts[2], person, kind};
}

// The items of the people of `rows` (their assignments in force on `day`), each person's by
// kind, people in the order of `rows`.
class DueWorklist final {
 public:
  DueWorklist(const CadreRuleBook& book, absl::CivilDay day, absl::CivilDay until,
              std::set<v1::DueKind> kinds)
      : book_(book), day_(day), until_(until), kinds_(std::move(kinds)) {}

  bool Wanted(v1::DueKind k) const { return kinds_.empty() || kinds_.contains(k); }

  void People(pqxx::transaction_base& tx, const std::vector<CadreStore::RosterRow>& rows,
              std::vector<v1::DueItem>& out) const {
    std::vector<int64_t> ids;
    for (const auto& r : rows) ids.push_back(r.person_id);
    if (ids.empty()) return;
    const auto ranks = CadreDueStore::RankSpans(tx, ids, until_);
    std::map<int64_t, std::vector<DisciplineSpan>> disciplines;
    for (const auto& d : CadreDueStore::Disciplines(tx, ids)) {
      disciplines[d.person_id()].push_back(
          {*ParseDay(d.effect_from()), *ParseDay(d.effect_until()), ToSanction(d.form())});
    }
    std::map<int64_t, std::vector<RatedYear>> ratings;
    for (const auto& e : CadreDueStore::Evaluations(tx, ids)) {
      ratings[e.person_id()].push_back({e.year(), *ParseDay(e.evaluated_on()),
                                        e.level() == v1::EVALUATION_LEVEL_NOT_COMPLETED,
                                        e.early_raise_months()});
    }
    const CadreRules& rules = book_.InForceOn(day_);
    const absl::CivilDay deadline = EvaluationDeadline(rules, day_.year());
    for (const auto& row : rows) {
      if (row.person.kind() == v1::PERSON_KIND_CONTRACTED) continue;
      auto add = [&](v1::DueKind kind, absl::CivilDay due, std::vector<std::string> reasons) {
        v1::DueItem& item = out.emplace_back();
        item.set_kind(kind);
        item.set_due_date(FormatDay(due));
        item.set_overdue(due < day_);
        item.set_person_id(row.person_id);
        item.set_full_name(row.person.full_name());
        item.set_position_code(row.assignment.position_code());
        item.set_unit_code(row.assignment.unit_code());
        for (auto& r : reasons) item.add_reasons(std::move(r));
      };
      if (Wanted(v1::DUE_KIND_RAISE)) {
        RaiseHistory h;
        h.group = ToGroup(row.person.kind());
        if (auto it = ranks.find(row.person_id); it != ranks.end()) h.ranks = it->second;
        // Only the rank records in force by the day: a raise recorded ahead is not due.
        const bool recorded_ahead = !h.ranks.empty() && h.ranks.back().from > day_;
        while (!h.ranks.empty() && h.ranks.back().from > day_) h.ranks.pop_back();
        if (auto it = disciplines.find(row.person_id); it != disciplines.end()) {
          h.disciplines = it->second;
        }
        if (auto it = ratings.find(row.person_id); it != ratings.end()) h.ratings = it->second;
        if (auto raise = NextRaise(book_, h);
            raise.has_value() && raise->due <= until_ && !recorded_ahead) {
          add(v1::DUE_KIND_RAISE, raise->due, std::move(raise->reasons));
        }
      }
      const auto& a = row.assignment;
      if (Wanted(v1::DUE_KIND_TERM_END) && !a.term_end_date().empty()) {
        const auto end = ParseDay(a.term_end_date());
        if (end.has_value() && *end >= day_ && *end <= until_) {
          add(v1::DUE_KIND_TERM_END, *end,
              {absl::StrCat("appointed on ", a.valid_from(), " for ", rules.leadership_term_months,
                            " months")});
        }
      }
      if (Wanted(v1::DUE_KIND_ROTATION_END) && a.movement() == v1::MOVEMENT_ROTATION &&
          !a.valid_until().empty()) {
        const auto end = ParseDay(a.valid_until());
        if (end.has_value() && *end >= day_ && *end <= until_) {
          add(v1::DUE_KIND_ROTATION_END, *end, {absl::StrCat("rotated here on ", a.valid_from())});
        }
      }
      if (Wanted(v1::DUE_KIND_EVALUATION) && deadline <= until_) {
        bool done = false;
        if (auto it = ratings.find(row.person_id); it != ratings.end()) {
          for (const auto& y : it->second) done = done || y.year == day_.year();
        }
        if (!done) {
          add(v1::DUE_KIND_EVALUATION, deadline,
              {absl::StrCat("the ", day_.year(), " evaluation is due by ", FormatDay(deadline))});
        }
      }
    }
  }

  // The units of `units` over their quota of the day's year, by unit code.
  void Quotas(pqxx::transaction_base& tx, std::vector<std::string> units,
              std::vector<v1::DueItem>& out) const {
    if (!Wanted(v1::DUE_KIND_QUOTA_EXCEEDED) || units.empty()) return;
    const int year = static_cast<int>(day_.year());
    const auto quotas = PlanStore::Quotas(tx, units, year);
    if (quotas.empty()) return;
    std::vector<std::string> with_quota;
    for (const auto& [code, quota] : quotas) with_quota.push_back(code);
    const auto heads = CadreStore::CountHeadsByUnit(tx, with_quota, AsOf{day_, std::nullopt});
    for (const auto& [code, quota] : quotas) {
      const auto h = heads.find(code);
      if (h == heads.end() || h->second.counted <= quota) continue;
      v1::DueItem& item = out.emplace_back();
      item.set_kind(v1::DUE_KIND_QUOTA_EXCEEDED);
      item.set_due_date(FormatDay(day_));
      item.set_unit_code(code);
      item.add_reasons(absl::StrCat(h->second.counted, " people counted against a quota of ", quota,
                                    " for ", year));
    }
  }

 private:
  const CadreRuleBook& book_;
  const absl::CivilDay day_, until_;
  const std::set<v1::DueKind> kinds_;
};

}  // namespace

absl::StatusOr<v1::ListDueResponse> Cadres::ListDue(const CallContext& call,
                                                    const v1::ListDueRequest& request) {
  Validator v;
  const bool by_unit = !request.unit_code().empty();
  if (by_unit) {
    v.Check(IsCode(request.unit_code()), "unit_code", "at most 64 characters");
    v.Check(request.agency_code().empty(), "agency_code",
            "give unit_code or agency_code, not both");
    v.Check(request.page_token().empty(), "page_token",
            "a unit's worklist comes in one response: paging is for agency_code");
  } else {
    if (request.agency_code().empty()) {
      v.Check(false, "unit_code", "required: unit_code or agency_code");
    }
    v.Check(IsCode(request.agency_code()), "agency_code", "required: unit_code or agency_code");
  }
  const AsOf as_of = ReadAsOf(v, request.as_of(), nullptr);
  v.Check(request.horizon_days() >= 0 && request.horizon_days() <= kMaxHorizonDays, "horizon_days",
          absl::StrCat("must be 0..", kMaxHorizonDays));
  std::set<v1::DueKind> kinds;
  for (int k : request.kinds()) {
    v.Check(k != v1::DUE_KIND_UNSPECIFIED && v1::DueKind_IsValid(k), "kinds", "unknown kind");
    kinds.insert(static_cast<v1::DueKind>(k));
  }
  v.Check(request.page_size() >= 0 && request.page_size() <= kMaxDuePage, "page_size",
          absl::StrCat("must be 0..", kMaxDuePage));
  const int limit = request.page_size() == 0 ? kDefaultDuePage : request.page_size();
  std::optional<DueKey> after;
  if (!by_unit && !request.page_token().empty()) {
    after = ParseToken(request.page_token());
    v.Check(after.has_value(), "page_token", "not a token of this worklist");
  }
  if (!v.ok()) return v.status();
  const absl::CivilDay day = as_of.day;
  const absl::CivilDay until =
      day + (request.horizon_days() == 0 ? kDefaultHorizonDays : request.horizon_days());
  const DueWorklist worklist(rules_, day, until, std::move(kinds));
  auto out =
      ReadOnly(db_, "cadre_list_due", [&](pqxx::work& tx) -> absl::StatusOr<v1::ListDueResponse> {
        const auto graph_ptr = Graph(tx);
        const AgencyGraph& graph = *graph_ptr;
        v1::ListDueResponse resp;
        resp.set_as_of(FormatDay(day));
        resp.set_until(FormatDay(until));
        std::vector<v1::DueItem> items;
        RosterFilter f;
        f.as_of = AsOf{day, std::nullopt};
        f.with_rank = false;  // DueWorklist reads every rank record of the people itself
        if (by_unit) {
          auto unit = CadreStore::FindUnit(tx, request.unit_code());
          if (!unit.has_value()) {
            return absl::NotFoundError(absl::StrCat("unit ", request.unit_code(), " not found"));
          }
          if (auto st = Authorise(call.access, graph, unit->agency_code()); !st.ok()) return st;
          // The unit's people as of the day, page by page, then their items.
          f.unit_codes = {unit->code()};
          f.limit = kRosterPage;
          for (;;) {
            auto rows = CadreStore::Roster(tx, CadreStore::RosterQuery(f));
            worklist.People(tx, rows, items);
            if (static_cast<int>(rows.size()) < kRosterPage) break;
            f.after_person = rows.back().person_id;
          }
          worklist.Quotas(tx, {unit->code()}, items);
          std::sort(items.begin(), items.end(), [](const v1::DueItem& x, const v1::DueItem& y) {
            return std::make_tuple(x.due_date(), static_cast<int>(x.kind()), x.person_id()) <
                   std::make_tuple(y.due_date(), static_cast<int>(y.kind()), y.person_id());
          });
        } else {
          if (auto st = AgencyKnown(tx, request.agency_code()); !st.ok()) return st;
          if (auto st = Authorise(call.access, graph, request.agency_code()); !st.ok()) return st;
          const auto agencies = AnsweredBy(graph, request.agency_code(), day);
          // Unit by unit in code order from the token's unit, a batch of units at a time (its
          // people read together), until the page is full and one item more shows there is a
          // next page. A unit's items: its quota first, then by person and kind.
          std::vector<std::string> codes;
          for (const auto& u :
               CadreStore::ListUnits(tx, CadreStore::ListUnitsQuery(agencies, "", kMaxUnits))) {
            if (!after.has_value() || u.code() >= std::get<0>(*after)) codes.push_back(u.code());
          }
          const size_t wanted = static_cast<size_t>(limit) + 1;
          // The next batch: as many units as the items still wanted need at the rate seen so
          // far (a batch read past the page is read again by the next one).
          size_t batch = 2;
          for (size_t at = 0; at < codes.size() && items.size() < wanted; at += batch) {
            if (at > 0) {
              const double per_unit = std::max(0.5, static_cast<double>(items.size()) / at);
              batch = std::clamp<size_t>(
                  static_cast<size_t>((wanted - items.size()) / per_unit) + 1, 1, kMaxUnitBatch);
            }
            f.unit_codes.assign(codes.begin() + at,
                                codes.begin() + std::min(codes.size(), at + batch));
            std::vector<v1::DueItem> chunk;
            worklist.Quotas(tx, f.unit_codes, chunk);
            f.after_person = 0;
            f.limit = kRosterPage;
            for (;;) {
              auto rows = CadreStore::Roster(tx, CadreStore::RosterQuery(f));
              worklist.People(tx, rows, chunk);
              if (static_cast<int>(rows.size()) < kRosterPage) break;
              f.after_person = rows.back().person_id;
            }
            std::sort(chunk.begin(), chunk.end(), [](const v1::DueItem& x, const v1::DueItem& y) {
              return KeyOf(x) < KeyOf(y);
            });
            for (auto& i : chunk) {
              if (items.size() < wanted && (!after.has_value() || KeyOf(i) > *after)) {
                items.push_back(std::move(i));
              }
            }
          }
          if (items.size() > static_cast<size_t>(limit)) {
            items.resize(limit);
            const auto& [unit, person, kind] = KeyOf(items.back());
            resp.set_next_page_token(
                EncodePageToken(kTokenPrefix, absl::StrCat(person, ":", kind, ":", unit)));
          }
        }
        for (auto& i : items) *resp.add_items() = std::move(i);
        return resp;
      });
  if (!out.ok()) return out.status();
  return std::move(*out);
}

}  // namespace localgov::cadre
