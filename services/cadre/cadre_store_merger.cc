#include "services/cadre/cadre_store_merger.h"

#include "absl/strings/str_cat.h"
#include "common/db/query.h"
#include "services/cadre/cadre_rules.h"
#include "services/cadre/cadre_store.h"

namespace localgov::cadre {
namespace {

std::string Micros(absl::Time t) { return absl::StrCat(absl::ToUnixMicros(t)); }

std::vector<v1::Unit> Units(pqxx::transaction_base& tx, const std::string& where,
                            const std::string& param) {
  std::vector<v1::Unit> out;
  for (const auto& r : tx.exec_params(absl::StrCat("SELECT code, agency_code, name,"
                                                   " COALESCE(parent_code, '') FROM cadre_units"
                                                   " WHERE ",
                                                   where, " ORDER BY code"),
                                      param)) {
    v1::Unit u;
    u.set_code(r[0].as<std::string>());
    u.set_agency_code(r[1].as<std::string>());
    u.set_name(r[2].as<std::string>());
    u.set_parent_code(r[3].as<std::string>());
    out.push_back(std::move(u));
  }
  return out;
}

std::vector<v1::Quota> Quotas(pqxx::transaction_base& tx, const std::string& agencies, int year) {
  std::vector<v1::Quota> out;
  for (const auto& r : tx.exec_params(
           "SELECT q.unit_code, q.year, q.quota, q.version FROM cadre_quotas q JOIN cadre_units u"
           " ON u.code = q.unit_code WHERE u.agency_code = ANY($1::text[]) AND q.year >= $2"
           " ORDER BY q.unit_code, q.year",
           agencies, year)) {
    v1::Quota q;
    q.set_unit_code(r[0].as<std::string>());
    q.set_year(r[1].as<int>());
    q.set_quota(r[2].as<int>());
    q.set_version(r[3].as<int64_t>());
    out.push_back(std::move(q));
  }
  return out;
}

// Current assignment versions with `where` ($1 the source agencies, $2 the day).
std::vector<MergerAssignment> Assignments(pqxx::transaction_base& tx, const std::string& where,
                                          const std::string& agencies, absl::CivilDay on) {
  std::vector<MergerAssignment> out;
  for (const auto& r : tx.exec_params(
           absl::StrCat("SELECT h.person_id, pe.version, pe.full_name, h.record_id,"
                        " h.position_code, h.unit_code, h.valid_from::text,"
                        " COALESCE(h.valid_until::text, ''), h.movement FROM cadre_history h"
                        " JOIN cadre_people pe ON pe.id = h.person_id WHERE h.kind = 1 AND"
                        " h.recorded_until IS NULL AND ",
                        where, " ORDER BY h.person_id, h.valid_from"),
           agencies, FormatDay(on))) {
    MergerAssignment a;
    a.person_id = r[0].as<int64_t>();
    a.person_version = r[1].as<int64_t>();
    a.full_name = r[2].as<std::string>();
    a.record_id = r[3].as<int64_t>();
    a.position_code = r[4].as<std::string>();
    a.unit_code = r[5].as<std::string>();
    a.valid_from = r[6].as<std::string>();
    a.valid_until = r[7].as<std::string>();
    a.movement = static_cast<v1::Movement>(r[8].as<int>());
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

std::vector<MergerSource> CadreMergerStore::Sources(pqxx::transaction_base& tx,
                                                    const std::vector<std::string>& codes) {
  std::vector<MergerSource> out;
  for (const auto& r : tx.exec_params(
           "SELECT code, COALESCE(successor_code, ''), COALESCE(merged_on::text, '') FROM"
           " cadre_agencies WHERE code = ANY($1::text[]) ORDER BY code",
           TextArray(codes))) {
    MergerSource s;
    s.code = r[0].as<std::string>();
    s.successor = r[1].as<std::string>();
    s.merged_on = ParseDay(r[2].as<std::string>());
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> CadreMergerStore::MergedInto(pqxx::transaction_base& tx,
                                                      const std::string& successor,
                                                      absl::CivilDay on) {
  std::vector<std::string> out;
  for (const auto& r : tx.exec_params(
           "SELECT code FROM cadre_agencies WHERE successor_code = $1 AND merged_on = $2::date"
           " ORDER BY code",
           successor, FormatDay(on))) {
    out.push_back(r[0].as<std::string>());
  }
  return out;
}

void CadreMergerStore::Load(pqxx::transaction_base& tx, MergerInput& in) {
  std::vector<std::string> codes;
  for (const auto& s : in.sources) codes.push_back(s.code);
  const std::string sources = TextArray(codes);
  const std::string successor = TextArray({in.successor});
  in.source_units = Units(tx, "agency_code = ANY($1::text[])", sources);
  for (const auto& r : tx.exec_params(
           "SELECT m.unit_code, m.to_unit_code FROM cadre_unit_moves m JOIN cadre_units u ON"
           " u.code = m.unit_code WHERE u.agency_code = ANY($1::text[])",
           sources)) {
    in.moved[r[0].as<std::string>()] = r[1].as<std::string>();
  }
  in.source_positions = CadreStore::AgencyPositions(tx, codes);
  in.source_quotas = Quotas(tx, sources, static_cast<int>(in.on.year()));
  in.successor_units = Units(tx, "agency_code = ANY($1::text[])", successor);
  in.successor_positions = CadreStore::AgencyPositions(tx, {in.successor});
  in.successor_quotas = Quotas(tx, successor, static_cast<int>(in.on.year()));
  for (const auto& r : tx.exec_params(
           "SELECT code FROM cadre_units WHERE left(code, length($1)) = $1", in.successor)) {
    in.taken_unit_codes.insert(r[0].as<std::string>());
  }
  for (const auto& r : tx.exec_params(
           "SELECT code FROM cadre_positions WHERE left(code, length($1)) = $1", in.successor)) {
    in.taken_position_codes.insert(r[0].as<std::string>());
  }
  in.in_force = Assignments(tx,
                            "h.agency_code = ANY($1::text[]) AND h.valid_from <= $2::date AND"
                            " (h.valid_until IS NULL OR h.valid_until > $2::date)",
                            sources, in.on);
  // Records from after the day: in the merged agencies' units, or of the people who move.
  in.later = Assignments(tx,
                         "h.valid_from > $2::date AND (h.agency_code = ANY($1::text[]) OR"
                         " h.person_id IN (SELECT person_id FROM cadre_history WHERE kind = 1"
                         " AND recorded_until IS NULL AND agency_code = ANY($1::text[]) AND"
                         " valid_from <= $2::date AND (valid_until IS NULL OR valid_until >"
                         " $2::date)))",
                         sources, in.on);
}

void CadreMergerStore::LockSourcePositions(pqxx::work& tx,
                                           const std::vector<std::string>& agencies) {
  tx.exec_params(
      "SELECT 1 FROM cadre_positions p JOIN cadre_units u ON u.code = p.unit_code WHERE"
      " u.agency_code = ANY($1::text[]) ORDER BY p.code FOR UPDATE OF p",
      TextArray(agencies));
}

void CadreMergerStore::SetMaxHolders(pqxx::work& tx, const std::string& position, int max_holders) {
  tx.exec_params("UPDATE cadre_positions SET max_holders = $2 WHERE code = $1", position,
                 max_holders);
}

int64_t CadreMergerStore::InsertMerger(pqxx::work& tx, const v1::MergerPlan& plan,
                                       const std::string& applied_by, absl::Time now) {
  std::vector<std::string> agencies(plan.agency_codes().begin(), plan.agency_codes().end());
  std::string bytes;
  plan.SerializeToString(&bytes);
  const pqxx::binarystring blob(bytes);
  return tx
      .exec_params1(
          "INSERT INTO cadre_mergers (agency_codes, successor_code, merged_on, fingerprint,"
          " people, applied_by, applied_at, plan) VALUES ($1::text[], $2, $3::date, $4, $5, $6,"
          " timestamptz 'epoch' + $7::bigint * interval '1 microsecond', $8) RETURNING id",
          TextArray(agencies), plan.successor_code(), plan.merged_on(), plan.fingerprint(),
          plan.people_size(), applied_by, Micros(now), blob)[0]
      .as<int64_t>();
}

void CadreMergerStore::InsertUnitMove(pqxx::work& tx, const std::string& unit,
                                      const std::string& to, absl::CivilDay on, int64_t merger) {
  tx.exec_params(
      "INSERT INTO cadre_unit_moves (unit_code, to_unit_code, moved_on, merger_id) VALUES ($1,"
      " $2, $3::date, $4)",
      unit, to, FormatDay(on), merger);
}

std::optional<v1::ApplyMergerResponse> CadreMergerStore::FindMerger(pqxx::transaction_base& tx,
                                                                    int64_t id) {
  const auto r = tx.exec_params("SELECT plan FROM cadre_mergers WHERE id = $1", id);
  if (r.empty()) return std::nullopt;
  const pqxx::binarystring blob(r[0][0]);
  v1::ApplyMergerResponse out;
  out.set_merger_id(id);
  if (!out.mutable_plan()->ParseFromString(blob.str())) return std::nullopt;
  return out;
}

std::optional<std::string> CadreMergerStore::MovedTo(pqxx::transaction_base& tx,
                                                     const std::string& code, absl::CivilDay day) {
  std::optional<std::string> out;
  std::string at = code;
  for (int hops = 0; hops < 16; ++hops) {  // a unit moved again by a later merger
    const auto r = ExecPrepared(tx, "cadre_unit_moved_to",
                                "SELECT to_unit_code FROM cadre_unit_moves WHERE unit_code = $1"
                                " AND moved_on <= $2::date",
                                at, FormatDay(day));
    if (r.empty()) break;
    at = r[0][0].as<std::string>();
    out = at;
  }
  return out;
}

}  // namespace localgov::cadre
