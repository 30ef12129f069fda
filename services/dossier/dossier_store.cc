#include "services/dossier/dossier_store.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace localgov::dossier {
namespace {

using google::protobuf::util::TimeUtil;

int64_t Micros(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

}  // namespace

int DossierStore::NextSequence(pqxx::work& tx, const std::string& agency, absl::CivilDay day) {
  auto r = tx.exec_params(
      "INSERT INTO dossier_code_counters (agency, day, last) VALUES ($1, $2::date, 1)"
      " ON CONFLICT (agency, day) DO UPDATE SET last = dossier_code_counters.last + 1"
      " RETURNING last",
      agency, absl::FormatCivilTime(day));
  return r[0][0].as<int>();
}

void DossierStore::Insert(pqxx::work& tx, const v1::Dossier& d, absl::Time now) {
  v1::Dossier details = d;
  details.clear_events();
  const bool has_due = !d.due_date().empty();
  tx.exec_params(
      "INSERT INTO dossiers (code, procedure_code, procedure_version, receiving_agency, channel,"
      " state, applicant_name, applicant_citizen_id, details, received_at, clock_start, due_date,"
      " deadline, version, created_at, updated_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
      " timestamptz 'epoch' + $10::bigint * interval '1 microsecond', $11::date,"
      " NULLIF($12, '')::date,"
      " CASE WHEN $13 THEN timestamptz 'epoch' + $14::bigint * interval '1 microsecond' END,"
      " $15, timestamptz 'epoch' + $16::bigint * interval '1 microsecond',"
      " timestamptz 'epoch' + $16::bigint * interval '1 microsecond')",
      d.code(), d.procedure_code(), d.procedure_version(), d.receiving_agency_code(),
      static_cast<int>(d.channel()), static_cast<int>(d.state()), d.applicant().full_name(),
      d.applicant().citizen_id(), pqxx::binarystring(details.SerializeAsString()),
      Micros(d.received_time()), d.clock_start_date(), d.due_date(), has_due, Micros(d.deadline()),
      d.version(), absl::ToUnixMicros(now));
}

absl::Status DossierStore::Update(pqxx::work& tx, const v1::Dossier& d, int64_t expected_version,
                                  absl::Time now) {
  v1::Dossier details = d;
  details.clear_events();
  details.set_version(expected_version + 1);
  const bool has_due = !d.due_date().empty();
  auto rows = tx.exec_params(
      "UPDATE dossiers SET state = $2, details = $3, clock_start = $4::date,"
      " due_date = NULLIF($5, '')::date,"
      " deadline = CASE WHEN $6 THEN timestamptz 'epoch' + $7::bigint * interval '1 microsecond' "
      "END,"
      " version = version + 1,"
      " updated_at = timestamptz 'epoch' + $8::bigint * interval '1 microsecond'"
      " WHERE code = $1 AND version = $9 RETURNING version",
      d.code(), static_cast<int>(d.state()), pqxx::binarystring(details.SerializeAsString()),
      d.clock_start_date(), d.due_date(), has_due, Micros(d.deadline()), absl::ToUnixMicros(now),
      expected_version);
  if (rows.empty()) {
    return absl::AbortedError(absl::StrCat("dossier ", d.code(), " changed since version ",
                                           expected_version, "; read it again"));
  }
  return absl::OkStatus();
}

void DossierStore::AppendEvent(pqxx::work& tx, const std::string& code, const v1::DossierEvent& e,
                               const std::string& request_id) {
  tx.exec_params(
      "INSERT INTO dossier_events (dossier_code, sequence, at, actor, role, agency, from_state,"
      " to_state, note, request_id)"
      " VALUES ($1, $2, timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4, $5, $6,"
      " $7, $8, $9, $10)",
      code, e.sequence(), Micros(e.time()), e.actor(), e.role(), e.agency(),
      static_cast<int>(e.from_state()), static_cast<int>(e.to_state()), e.note(), request_id);
}

std::optional<v1::Dossier> DossierStore::Find(pqxx::transaction_base& tx, const std::string& code) {
  auto rows = tx.exec_params("SELECT details FROM dossiers WHERE code = $1", code);
  if (rows.empty()) return std::nullopt;
  v1::Dossier d;
  d.ParseFromString(pqxx::binarystring(rows[0][0]).str());
  for (const auto& r : tx.exec_params(
           "SELECT sequence, (EXTRACT(EPOCH FROM at) * 1000000)::bigint, actor, role, agency,"
           " from_state, to_state, note FROM dossier_events WHERE dossier_code = $1"
           " ORDER BY sequence",
           code)) {
    auto* e = d.add_events();
    e->set_sequence(r[0].as<int64_t>());
    *e->mutable_time() = TimeUtil::MicrosecondsToTimestamp(r[1].as<int64_t>());
    e->set_actor(r[2].as<std::string>());
    e->set_role(r[3].as<std::string>());
    e->set_agency(r[4].as<std::string>());
    e->set_from_state(static_cast<v1::DossierState>(r[5].as<int>()));
    e->set_to_state(static_cast<v1::DossierState>(r[6].as<int>()));
    e->set_note(r[7].as<std::string>());
  }
  return d;
}

}  // namespace localgov::dossier
