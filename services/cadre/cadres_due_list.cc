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
#include "services/cadre/snapshot_cache.h"

namespace localgov::cadre {
namespace {

using internal::IsCode;

constexpr int kDefaultHorizonDays = 90;
constexpr int kMaxHorizonDays = 1830;
constexpr int kPeopleChunk = 5000;
constexpr size_t kMinPeopleChunk = 64;
// The people one call of an agency's worklist reads at most: a bound on its time (a few tenths
// of a second on two cores) where items are few; the page then ends early, its token after the
// last person read.
constexpr size_t kMaxPeopleAPage = 20000;
constexpr int kDefaultDuePage = 500;
constexpr int kMaxDuePage = 5000;
constexpr int kMaxUnits = 100000;
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

// The items of the people of `posts` (their posts in force on `day`), each person's by kind,
// people in the order of `posts`.
class DueWorklist final {
 public:
  DueWorklist(const CadreRuleBook& book, absl::CivilDay day, absl::CivilDay until,
              std::set<v1::DueKind> kinds)
      : book_(book), day_(day), until_(until), kinds_(std::move(kinds)) {}

  bool Wanted(v1::DueKind k) const { return kinds_.empty() || kinds_.contains(k); }

  // `many`: `posts` are a whole agency's (the store reads them with a scan, not look-ups).
  void People(pqxx::transaction_base& tx, const std::vector<CadreDueStore::Post>& posts,
              std::vector<v1::DueItem>& out, bool many = false) const {
    std::vector<int64_t> ids;
    for (const auto& p : posts) {
      if (p.kind != v1::PERSON_KIND_CONTRACTED) ids.push_back(p.person_id);
    }
    if (ids.empty()) return;
    const bool raises = Wanted(v1::DUE_KIND_RAISE);
    const CadreRules& rules = book_.InForceOn(day_);
    const absl::CivilDay deadline = EvaluationDeadline(rules, day_.year());
    const bool evaluations = Wanted(v1::DUE_KIND_EVALUATION) && deadline <= until_;
    // Only what the kinds asked for read: rank records, decisions and ratings for raises, the
    // year's ratings for evaluations.
    std::map<int64_t, std::vector<RankSpan>> ranks;
    std::map<int64_t, std::vector<DisciplineSpan>> disciplines;
    std::map<int64_t, std::vector<RatedYear>> ratings;
    if (raises) {
      ranks = CadreDueStore::RankSpans(tx, ids, day_, until_, many);
      disciplines = CadreDueStore::DisciplineSpans(tx, ids);
    }
    if (raises || evaluations) ratings = CadreDueStore::RatedYears(tx, ids, day_.year(), many);
    for (const auto& p : posts) {
      if (p.kind == v1::PERSON_KIND_CONTRACTED) continue;
      auto add = [&](v1::DueKind kind, absl::CivilDay due, std::vector<std::string> reasons) {
        v1::DueItem& item = out.emplace_back();
        item.set_kind(kind);
        item.set_due_date(FormatDay(due));
        item.set_overdue(due < day_);
        item.set_person_id(p.person_id);
        item.set_full_name(p.full_name);
        item.set_position_code(p.position_code);
        item.set_unit_code(p.unit_code);
        for (auto& r : reasons) item.add_reasons(std::move(r));
      };
      const auto rated = ratings.find(p.person_id);
      if (raises) {
        RaiseHistory h;
        h.group = ToGroup(p.kind);
        if (auto it = ranks.find(p.person_id); it != ranks.end()) h.ranks = it->second;
        // Only the rank records in force by the day: a raise recorded ahead is not due.
        const bool recorded_ahead = !h.ranks.empty() && h.ranks.back().from > day_;
        while (!h.ranks.empty() && h.ranks.back().from > day_) h.ranks.pop_back();
        if (auto it = disciplines.find(p.person_id); it != disciplines.end()) {
          h.disciplines = it->second;
        }
        if (rated != ratings.end()) h.ratings = rated->second;
        if (auto raise = NextRaise(book_, h);
            raise.has_value() && raise->due <= until_ && !recorded_ahead) {
          add(v1::DUE_KIND_RAISE, raise->due, std::move(raise->reasons));
        }
      }
      if (Wanted(v1::DUE_KIND_TERM_END) && p.term_end.has_value() && *p.term_end >= day_ &&
          *p.term_end <= until_) {
        add(v1::DUE_KIND_TERM_END, *p.term_end,
            {absl::StrCat("appointed on ", FormatDay(p.valid_from), " for ",
                          rules.leadership_term_months, " months")});
      }
      if (Wanted(v1::DUE_KIND_ROTATION_END) && p.movement == v1::MOVEMENT_ROTATION &&
          p.valid_until.has_value() && *p.valid_until >= day_ && *p.valid_until <= until_) {
        add(v1::DUE_KIND_ROTATION_END, *p.valid_until,
            {absl::StrCat("rotated here on ", FormatDay(p.valid_from))});
      }
      if (evaluations) {
        bool done = false;
        if (rated != ratings.end()) {
          for (const auto& y : rated->second) done = done || y.year == day_.year();
        }
        if (!done) {
          add(v1::DUE_KIND_EVALUATION, deadline,
              {absl::StrCat("the ", day_.year(), " evaluation is due by ", FormatDay(deadline))});
        }
      }
    }
  }

  // The units of `units` over their quota of the day's year, by unit code.
  void Quotas(pqxx::transaction_base& tx, const std::vector<std::string>& units,
              std::vector<v1::DueItem>& out) const {
    Quotas(tx, units, out, [&](const std::vector<std::string>& with_quota) {
      return CadreStore::CountHeadsByUnit(tx, with_quota, AsOf{day_, std::nullopt});
    });
  }

  // Every item of the agency's units `units`, in page order (KeyOf): its posts in force read at
  // once, each unit's headcount counted from them (the posts CountHeadsByUnit counts: in force
  // on the day, as known now), then the people's items as a chunk's.
  std::vector<v1::DueItem> Agency(pqxx::transaction_base& tx,
                                  const std::vector<std::string>& units) const {
    std::vector<v1::DueItem> items;
    if (units.empty()) return items;
    auto posts = CadreDueStore::PostsOfUnits(tx, units, day_);
    std::sort(posts.begin(), posts.end(), [](const auto& x, const auto& y) {
      return std::tie(x.unit_code, x.person_id) < std::tie(y.unit_code, y.person_id);
    });
    std::vector<std::string> held;
    std::map<std::string, CadreStore::Headcount> heads;
    for (size_t i = 0; i < posts.size(); ++i) {
      const auto& p = posts[i];
      if (held.empty() || held.back() != p.unit_code) held.push_back(p.unit_code);
      if (i > 0 && posts[i - 1].unit_code == p.unit_code && posts[i - 1].person_id == p.person_id) {
        continue;  // counted once (a person's posts in force never overlap)
      }
      auto& h = heads[p.unit_code];
      ++(p.kind == v1::PERSON_KIND_CONTRACTED ? h.contracted : h.counted);
    }
    Quotas(tx, held, items, [&](const std::vector<std::string>&) { return heads; });
    People(tx, posts, items, /*many=*/true);
    std::sort(items.begin(), items.end(),
              [](const v1::DueItem& x, const v1::DueItem& y) { return KeyOf(x) < KeyOf(y); });
    return items;
  }

 private:
  template <typename Heads>
  void Quotas(pqxx::transaction_base& tx, const std::vector<std::string>& units,
              std::vector<v1::DueItem>& out, Heads count_heads) const {
    if (!Wanted(v1::DUE_KIND_QUOTA_EXCEEDED) || units.empty()) return;
    const int year = static_cast<int>(day_.year());
    const auto quotas = PlanStore::Quotas(tx, units, year);
    if (quotas.empty()) return;
    std::vector<std::string> with_quota;
    for (const auto& [code, quota] : quotas) with_quota.push_back(code);
    const std::map<std::string, CadreStore::Headcount> heads = count_heads(with_quota);
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
  // An agency's whole worklist is kept under its key and the snapshot it was read in.
  std::string cache_key =
      absl::StrCat(request.agency_code(), " ", FormatDay(day), " ", FormatDay(until), " kinds");
  for (const auto k : kinds) absl::StrAppend(&cache_key, " ", static_cast<int>(k));
  const DueWorklist worklist(rules_, day, until, std::move(kinds));
  auto out = internal::ReadInOneSnapshot(
      db_, "cadre_list_due", [&](pqxx::work& tx) -> absl::StatusOr<v1::ListDueResponse> {
        const auto graph_ptr = Graph(tx);
        const AgencyGraph& graph = *graph_ptr;
        v1::ListDueResponse resp;
        resp.set_as_of(FormatDay(day));
        resp.set_until(FormatDay(until));
        std::vector<v1::DueItem> items;
        if (by_unit) {
          auto unit = CadreStore::FindUnit(tx, request.unit_code());
          if (!unit.has_value()) {
            return absl::NotFoundError(absl::StrCat("unit ", request.unit_code(), " not found"));
          }
          if (auto st = Authorise(call.access, graph, unit->agency_code()); !st.ok()) return st;
          // The unit's people as of the day, a chunk at a time, then their items.
          for (int64_t after_person = 0;;) {
            const auto posts = CadreDueStore::PostsAfter(tx, {unit->code()}, day, unit->code(),
                                                         after_person, kPeopleChunk);
            worklist.People(tx, posts, items);
            if (static_cast<int>(posts.size()) < kPeopleChunk) break;
            after_person = posts.back().person_id;
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
          // The whole agency, computed once in this snapshot and paged from memory while the
          // database stays as it is (snapshot_cache.h): a first page computes it; a later
          // page finds it, or, the database having changed since, reads its own people as
          // below (a page's cost stays bounded).
          for (const auto& a : agencies) absl::StrAppend(&cache_key, " ", a);
          const std::string snapshot = SnapshotOf(tx);
          std::shared_ptr<const std::vector<v1::DueItem>> all =
              due_cache_.Find(cache_key, snapshot);
          if (all == nullptr && !after.has_value()) {
            std::vector<std::string> units;
            for (const auto& u :
                 CadreStore::ListUnits(tx, CadreStore::ListUnitsQuery(agencies, "", kMaxUnits))) {
              units.push_back(u.code());
            }
            all = std::make_shared<const std::vector<v1::DueItem>>(worklist.Agency(tx, units));
            due_cache_.Put(cache_key, snapshot, all);
          }
          if (all != nullptr) {
            auto from = all->begin();
            if (after.has_value()) {
              from = std::upper_bound(
                  all->begin(), all->end(), *after,
                  [](const DueKey& k, const v1::DueItem& i) { return k < KeyOf(i); });
            }
            const size_t left = static_cast<size_t>(all->end() - from);
            const size_t n = std::min(left, static_cast<size_t>(limit));
            for (size_t i = 0; i < n; ++i) *resp.add_items() = *(from + i);
            if (left > n) {
              const auto& [unit, person, kind] = KeyOf(*(from + n - 1));
              resp.set_next_page_token(
                  EncodePageToken(kTokenPrefix, absl::StrCat(person, ":", kind, ":", unit)));
            }
            return resp;
          }
          // The agency's people in force by unit code and person from the token's (their
          // posts read in that order from an index), a chunk at a time (as many people as the
          // items still wanted: most people have one item or more), until the page is full and
          // one item more shows there is a next page. A unit's items: its quota first, then by
          // person and kind. A page reads only the people it shows, and a chunk's rest.
          std::vector<std::string> codes;
          for (const auto& u :
               CadreStore::ListUnits(tx, CadreStore::ListUnitsQuery(agencies, "", kMaxUnits))) {
            if (!after.has_value() || u.code() >= std::get<0>(*after)) codes.push_back(u.code());
          }
          const size_t wanted = static_cast<size_t>(limit) + 1;
          // From the token's person again (their kinds after the token's are still to come).
          std::string after_unit = after.has_value() ? std::get<0>(*after) : "";
          int64_t after_person = after.has_value() ? std::get<1>(*after) - 1 : 0;
          std::set<std::string> seen_units;
          size_t people_read = 0, items_made = 0;
          bool read_to_the_end = codes.empty();
          while (!read_to_the_end && items.size() < wanted && people_read < kMaxPeopleAPage) {
            // As many people as the items still wanted need at the rate seen so far (at first
            // one item each).
            const double rate = people_read == 0
                                    ? 1.0
                                    : std::max(0.01, static_cast<double>(items_made) / people_read);
            const int people = static_cast<int>(
                std::clamp<size_t>(std::min(static_cast<size_t>((wanted - items.size()) / rate) + 1,
                                            kMaxPeopleAPage - people_read),
                                   kMinPeopleChunk, kPeopleChunk));
            const auto posts =
                CadreDueStore::PostsAfter(tx, codes, day, after_unit, after_person, people);
            std::vector<std::string> new_units;
            for (const auto& p : posts) {
              if (seen_units.insert(p.unit_code).second) new_units.push_back(p.unit_code);
            }
            std::vector<v1::DueItem> chunk;
            worklist.Quotas(tx, new_units, chunk);
            worklist.People(tx, posts, chunk);
            people_read += posts.size();
            items_made += chunk.size();
            std::sort(chunk.begin(), chunk.end(), [](const v1::DueItem& x, const v1::DueItem& y) {
              return KeyOf(x) < KeyOf(y);
            });
            for (auto& i : chunk) {
              if (items.size() < wanted && (!after.has_value() || KeyOf(i) > *after)) {
                items.push_back(std::move(i));
              }
            }
            read_to_the_end = static_cast<int>(posts.size()) < people;
            if (!posts.empty()) {
              after_unit = posts.back().unit_code;
              after_person = posts.back().person_id;
            }
          }
          if (items.size() > static_cast<size_t>(limit)) {
            items.resize(limit);
            const auto& [unit, person, kind] = KeyOf(items.back());
            resp.set_next_page_token(
                EncodePageToken(kTokenPrefix, absl::StrCat(person, ":", kind, ":", unit)));
          } else if (!read_to_the_end) {
            // The page ended on its bound of people read: the next one goes on after the last
            // person read (after every kind of theirs).
            resp.set_next_page_token(EncodePageToken(
                kTokenPrefix,
                absl::StrCat(after_person, ":", static_cast<int>(v1::DUE_KIND_QUOTA_EXCEEDED), ":",
                             after_unit)));
          }
        }
        for (auto& i : items) *resp.add_items() = std::move(i);
        return resp;
      });
  if (!out.ok()) return out.status();
  return std::move(*out);
}

}  // namespace localgov::cadre
