// The petitions that name a dossier: the petition service's reports, kept (DossierStore).
#include "common/db/query.h"
#include "google/protobuf/util/time_util.h"
#include "services/dossier/dossier_store.h"

namespace localgov::dossier {

using google::protobuf::util::TimeUtil;

bool DossierStore::KeepPetition(pqxx::work& tx, const std::string& dossier_code,
                                const v1::DossierPetition& p, int64_t sequence) {
  const auto rows = ExecPrepared(
      tx, "dossier_petition_keep",
      "INSERT INTO dossier_petitions AS kept (petition_code, dossier_code, agency, kind, state,"
      " next_due, received_at, updated_at, sequence)"
      " VALUES ($1, $2, $3, $4, $5, NULLIF($6, '')::date,"
      " timestamptz 'epoch' + $7::bigint * interval '1 microsecond',"
      " timestamptz 'epoch' + $8::bigint * interval '1 microsecond', $9)"
      " ON CONFLICT (petition_code) DO UPDATE SET dossier_code = EXCLUDED.dossier_code,"
      " agency = EXCLUDED.agency, kind = EXCLUDED.kind, state = EXCLUDED.state,"
      " next_due = EXCLUDED.next_due, received_at = EXCLUDED.received_at,"
      " updated_at = EXCLUDED.updated_at, sequence = EXCLUDED.sequence"
      " WHERE kept.sequence < EXCLUDED.sequence RETURNING 1",
      p.petition_code(), dossier_code, p.agency_code(), static_cast<int>(p.kind()),
      static_cast<int>(p.state()), p.next_deadline(),
      TimeUtil::TimestampToMicroseconds(p.received_time()),
      TimeUtil::TimestampToMicroseconds(p.update_time()), sequence);
  return !rows.empty();
}

std::vector<v1::DossierPetition> DossierStore::PetitionsAbout(pqxx::transaction_base& tx,
                                                              const std::string& dossier_code) {
  const auto rows = ExecPrepared(
      tx, "dossier_petitions_about",
      "SELECT petition_code, agency, kind, state, COALESCE(next_due::text, ''),"
      " (extract(epoch FROM received_at) * 1000000)::bigint,"
      " (extract(epoch FROM updated_at) * 1000000)::bigint"
      " FROM dossier_petitions WHERE dossier_code = $1 ORDER BY received_at, petition_code",
      dossier_code);
  std::vector<v1::DossierPetition> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    v1::DossierPetition p;
    p.set_petition_code(r[0].as<std::string>());
    p.set_agency_code(r[1].as<std::string>());
    p.set_kind(static_cast<petition::v1::PetitionKind>(r[2].as<int>()));
    p.set_state(static_cast<petition::v1::PetitionState>(r[3].as<int>()));
    p.set_next_deadline(r[4].as<std::string>());
    *p.mutable_received_time() = TimeUtil::MicrosecondsToTimestamp(r[5].as<int64_t>());
    *p.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(r[6].as<int64_t>());
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace localgov::dossier
