#include "services/petition/dossier_case_store.h"

#include "common/db/query.h"
#include "google/protobuf/util/time_util.h"

namespace localgov::petition {

using google::protobuf::util::TimeUtil;

bool DossierCaseStore::Keep(pqxx::work& tx, const v1::DossierCase& c) {
  const auto rows = ExecPrepared(
      tx, "dossier_case_keep",
      "INSERT INTO dossier_cases AS kept (dossier_code, agency, procedure_code, state, kind, at,"
      " person_id_key, person_name_key, version)"
      " VALUES ($1, $2, $3, $4, $5, timestamptz 'epoch' + $6::bigint * interval '1 microsecond',"
      " $7, $8, $9)"
      " ON CONFLICT (dossier_code) DO UPDATE SET agency = EXCLUDED.agency,"
      " procedure_code = EXCLUDED.procedure_code, state = EXCLUDED.state, kind = EXCLUDED.kind,"
      " at = EXCLUDED.at, person_id_key = EXCLUDED.person_id_key,"
      " person_name_key = EXCLUDED.person_name_key, version = EXCLUDED.version"
      " WHERE kept.version < EXCLUDED.version RETURNING 1",
      c.dossier_code(), c.agency_code(), c.procedure_code(), c.state(), static_cast<int>(c.kind()),
      TimeUtil::TimestampToMicroseconds(c.time()), c.person_id_key(), c.person_name_key(),
      c.version());
  return !rows.empty();
}

std::vector<DossierCaseStore::Found> DossierCaseStore::Related(pqxx::transaction_base& tx,
                                                               const std::string& named_code,
                                                               const std::string& person_id_key,
                                                               const std::string& person_name_key,
                                                               int limit) {
  const auto rows =
      ExecPrepared(tx, "dossier_cases_related",
                   "SELECT dossier_code, agency, procedure_code, state, kind,"
                   " (extract(epoch FROM at) * 1000000)::bigint,"
                   " dossier_code = $1, person_id_key = $2, person_name_key = $3,"
                   " person_id_key <> '' AND $2 <> '' AND person_id_key <> $2"
                   " FROM dossier_cases"
                   " WHERE ($1 <> '' AND dossier_code = $1) OR ($2 <> '' AND person_id_key = $2)"
                   " OR ($3 <> '' AND person_name_key = $3)"
                   " ORDER BY at DESC, dossier_code LIMIT $4",
                   named_code, person_id_key, person_name_key, limit);
  std::vector<Found> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    Found f;
    f.dossier.set_dossier_code(r[0].as<std::string>());
    f.dossier.set_agency_code(r[1].as<std::string>());
    f.dossier.set_procedure_code(r[2].as<std::string>());
    f.dossier.set_state(r[3].as<std::string>());
    f.dossier.set_kind(static_cast<v1::DossierCaseKind>(r[4].as<int>()));
    *f.dossier.mutable_time() = TimeUtil::MicrosecondsToTimestamp(r[5].as<int64_t>());
    f.facts.named = r[6].as<bool>();
    f.facts.same_id = !person_id_key.empty() && r[7].as<bool>();
    f.facts.same_name = !person_name_key.empty() && r[8].as<bool>();
    f.facts.other_id = r[9].as<bool>();
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace localgov::petition
