// Cadres: merger plans (issue 23, item 6). When the liaison directory records that agencies
// merge, PreviewMerger plans what moves to the successor (cadre_rules_merger.h) and
// ApplyMerger applies that plan, unchanged since the preview, in one transaction: new units
// and positions, quotas summed, and for each person a new assignment from the merger's day
// (Append ends the old one that day; earlier history is never rewritten).
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/audit.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "services/cadre/cadre_store_merger.h"
#include "services/cadre/cadres.h"
#include "services/cadre/cadres_internal.h"

namespace localgov::cadre {
namespace {

using internal::IsCode;

// The checks both RPCs share; the day when valid.
std::optional<absl::CivilDay> CheckScope(Validator& v, const std::string& agency,
                                         const std::string& successor,
                                         const std::string& merged_on) {
  v.Check(IsCode(agency), "agency_code", "required: a merged agency, or their successor");
  if (!successor.empty()) {
    v.Check(IsCode(successor) && successor != agency, "successor_code",
            "must be another agency's code (or empty)");
  }
  const auto on = ParseDay(merged_on);
  v.Check(on.has_value(), "merged_on", "required: the merger's day YYYY-MM-DD");
  return on;
}

bool IsHex64(const std::string& s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isxdigit(c); });
}

}  // namespace

absl::StatusOr<v1::MergerPlan> Cadres::PlanMergerIn(pqxx::work& tx, const CallContext& call,
                                                    const std::string& agency,
                                                    const std::string& successor_asked,
                                                    absl::CivilDay on, MergerInput* input) {
  // Read fresh: a merger just projected from the directory must be seen.
  const AgencyGraph graph = CadreStore::LoadAgencyGraph(tx);
  const auto it = graph.find(agency);
  if (it == graph.end()) return absl::NotFoundError(absl::StrCat("agency ", agency, " not found"));
  MergerInput& in = *input;
  std::vector<std::string> sources;
  if (!it->second.successor.empty() || !successor_asked.empty()) {
    // A merged agency (or one named with a successor: the plan says whether it merged).
    sources = {agency};
    in.successor = successor_asked.empty() ? it->second.successor : successor_asked;
  } else {
    // A successor: every agency merged into it that day.
    in.successor = agency;
    sources = CadreMergerStore::MergedInto(tx, agency, on);
  }
  if (auto st = Authorise(call.access, graph, in.successor); !st.ok()) {
    return absl::PermissionDeniedError(
        absl::StrCat("only the personnel office of the successor ", in.successor,
                     " (or of an agency supervising it) may plan its merger: ", st.message()));
  }
  in.sources = CadreMergerStore::Sources(tx, sources);
  const auto row = CadreStore::FindAgency(tx, in.successor);
  in.successor_registered = row.has_value() && row->supervision_registered;
  in.on = on;
  in.today = Today();
  CadreMergerStore::Load(tx, in);
  return PlanMerger(in);
}

absl::StatusOr<v1::PreviewMergerResponse> Cadres::PreviewMerger(
    const CallContext& call, const v1::PreviewMergerRequest& request) {
  Validator v;
  const auto on =
      CheckScope(v, request.agency_code(), request.successor_code(), request.merged_on());
  if (!v.ok()) return v.status();
  if (directory_.refresh) (void)directory_.refresh();
  (void)SyncDirectory();
  auto out = ReadOnly(db_, "cadre_preview_merger",
                      [&](pqxx::work& tx) -> absl::StatusOr<v1::PreviewMergerResponse> {
                        MergerInput in;
                        auto plan = PlanMergerIn(tx, call, request.agency_code(),
                                                 request.successor_code(), *on, &in);
                        if (!plan.ok()) return plan.status();
                        v1::PreviewMergerResponse resp;
                        *resp.mutable_plan() = std::move(*plan);
                        return resp;
                      });
  if (!out.ok()) return out.status();
  return std::move(*out);
}

absl::StatusOr<v1::ApplyMergerResponse> Cadres::ApplyMerger(const CallContext& call,
                                                            const v1::ApplyMergerRequest& request) {
  Validator v;
  ValidateRequestId(v, "request_id", request.request_id());
  const auto on =
      CheckScope(v, request.agency_code(), request.successor_code(), request.merged_on());
  v.Check(IsHex64(request.expected_fingerprint()), "expected_fingerprint",
          "required: the fingerprint of the plan previewed (64 hex digits)");
  if (!v.ok()) return v.status();
  if (directory_.refresh) (void)directory_.refresh();
  (void)SyncDirectory();
  const std::string digest = Sha256Hex(request.SerializeAsString());
  const absl::Time now = clock_.Now();
  v1::ApplyMergerResponse result;
  auto st = RunInTransaction(db_, "cadre_apply_merger", [&](pqxx::work& tx) -> absl::Status {
    MergerInput in;
    // Who may, before anything is claimed; then the plan read again under the locks.
    auto first = PlanMergerIn(tx, call, request.agency_code(), request.successor_code(), *on, &in);
    if (!first.ok()) return first.status();
    auto replay = internal::ReplayCreate(
        tx, call, request.request_id(), digest, "merger", [&](const std::string& key) {
          return CadreMergerStore::FindMerger(tx, internal::StoredId(key));
        });
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      result = **replay;
      return absl::OkStatus();
    }
    std::vector<std::string> sources(first->agency_codes().begin(), first->agency_codes().end());
    tx.exec_params("SELECT 1 FROM cadre_agencies WHERE code = ANY($1::text[]) FOR UPDATE",
                   TextArray(sources));
    CadreMergerStore::LockSourcePositions(tx, sources);
    in = MergerInput{};
    auto plan = PlanMergerIn(tx, call, request.agency_code(), request.successor_code(), *on, &in);
    if (!plan.ok()) return plan.status();
    if (plan->blockers_size() > 0) {
      std::vector<std::string> why;
      for (const auto& b : plan->blockers()) why.push_back(b.message());
      return absl::FailedPreconditionError(
          absl::StrCat("the merger cannot be applied: ", absl::StrJoin(why, "; ")));
    }
    if (plan->fingerprint() != request.expected_fingerprint()) {
      return absl::AbortedError(
          absl::StrCat("the plan changed since the preview (its fingerprint is now ",
                       plan->fingerprint(), "): preview it again"));
    }
    // Units and positions first (the history names them), then quotas.
    for (const auto& u : plan->units()) {
      if (!u.creates_unit()) continue;
      v1::Unit unit;
      unit.set_code(u.to_unit_code());
      unit.set_agency_code(plan->successor_code());
      unit.set_name(u.to_unit_name());
      CadreStore::InsertUnit(tx, unit, now);
    }
    for (const auto& p : plan->positions()) {
      if (!p.creates_position()) {
        CadreMergerStore::SetMaxHolders(tx, p.to_position_code(), p.max_holders());
        continue;
      }
      auto from = std::find_if(in.source_positions.begin(), in.source_positions.end(),
                               [&](const auto& s) { return s.code() == p.from_position_code(); });
      if (from == in.source_positions.end())
        return absl::InternalError("a planned position is gone");
      v1::Position pos = *from;
      pos.set_code(p.to_position_code());
      pos.set_unit_code(p.to_unit_code());
      pos.set_max_holders(p.max_holders());
      CadreStore::InsertPosition(tx, pos, now);
    }
    for (const auto& q : plan->quotas()) {
      auto cur = CadreStore::FindQuota(tx, q.unit_code(), q.year(), true);
      v1::Quota quota;
      quota.set_unit_code(q.unit_code());
      quota.set_year(q.year());
      quota.set_quota(q.quota_after());
      quota.set_version(cur.has_value() ? cur->version() + 1 : 1);
      if (cur.has_value()) {
        CadreStore::UpdateQuota(tx, quota);
      } else {
        CadreStore::InsertQuota(tx, quota);
      }
    }
    const int64_t id = CadreMergerStore::InsertMerger(tx, *plan, call.access.subject, now);
    for (const auto& u : plan->units()) {
      CadreMergerStore::InsertUnitMove(tx, u.from_unit_code(), u.to_unit_code(), *on, id);
    }
    const std::string reason =
        absl::StrCat("merger ", id, ": ", absl::StrJoin(plan->agency_codes(), ", "), " into ",
                     plan->successor_code(), " on ", plan->merged_on());
    const bool in_force = *on <= Today();
    for (const auto& m : plan->people()) {
      auto p = CadreStore::FindPerson(tx, m.person_id(), true);
      if (!p.has_value() || p->version() != m.person_version()) {
        return absl::AbortedError(absl::StrCat("person ", m.person_id(),
                                               " changed since the plan was read: preview again"));
      }
      auto cur = CadreStore::CurrentVersion(tx, m.record_id());
      if (!cur.has_value()) return absl::AbortedError("an assignment changed: preview again");
      v1::HistoryRecord rec = cur->record;
      rec.set_record_id(0);
      rec.set_position_code(m.to_position_code());
      rec.set_unit_code(m.to_unit_code());
      rec.set_agency_code(plan->successor_code());
      rec.set_valid_from(plan->merged_on());
      rec.set_change_kind(v1::CHANGE_KIND_CHANGE);
      rec.set_reason(reason);
      rec.set_recorded_by(call.access.subject);
      rec.clear_recorded_from();
      rec.clear_recorded_until();
      if (auto st = Append(tx, p->id(), rec, now); !st.ok()) return st;
      CadreStore::BumpVersion(tx, p->id(), p->version(), in_force ? plan->successor_code() : "");
    }
    StoreIdempotentResponse(tx, call.access.subject, call.method, request.request_id(),
                            absl::StrCat(id));
    result.set_merger_id(id);
    *result.mutable_plan() = *plan;
    int created_units = 0, created_positions = 0;
    for (const auto& u : plan->units()) created_units += u.creates_unit() ? 1 : 0;
    for (const auto& p : plan->positions()) created_positions += p.creates_position() ? 1 : 0;
    return AppendAudit(
        tx,
        internal::Audit(call, "ApplyMerger", "merger", absl::StrCat(id),
                        absl::StrCat(reason, ": ", plan->units_size(), " units (", created_units,
                                     " new), ", plan->positions_size(), " positions (",
                                     created_positions, " new), ", plan->quotas_size(), " quotas, ",
                                     plan->people_size(), " people; plan ", plan->fingerprint())),
        now);
  });
  if (!st.ok()) return st;
  return result;
}

}  // namespace localgov::cadre
