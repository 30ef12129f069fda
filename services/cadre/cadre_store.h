#ifndef LOCALGOV_SERVICES_CADRE_CADRE_STORE_H_
#define LOCALGOV_SERVICES_CADRE_CADRE_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/query.h"
#include "localgov/cadre/v1/cadre_service.pb.h"
#include "pqxx/pqxx"
#include "services/cadre/cadre_rules.h"
#include "services/cadre/demo_data.h"

namespace localgov::cadre {

// A day and a moment of knowledge: what an as-of read asks. `known_at` nullopt means "as
// known now" (the current versions only, read from the partial indexes).
struct AsOf {
  absl::CivilDay day;
  std::optional<absl::Time> known_at;
};

// One stored version of a history record.
struct StoredVersion {
  int64_t version_id = 0;
  int64_t person_id = 0;
  v1::HistoryRecord record;
};

// A keyset page of a roster: entries after `after_person`.
struct RosterFilter {
  std::vector<std::string> unit_codes;    // or
  std::vector<std::string> agency_codes;  // every unit of these agencies
  AsOf as_of;
  int64_t after_person = 0;
  int limit = 500;
  bool with_rank = true;  // each entry's rank in force (one index probe a person)
};

// All SQL of the cadre service, in the caller's transaction.
class CadreStore final {
 public:
  // Agencies (cadre_store_agencies.cc).
  struct AgencyRow {
    v1::Agency agency;
    bool from_directory = false;          // projected from the liaison directory
    bool supervision_registered = false;  // RegisterAgency has set its supervisors
  };
  // An agency of the liaison directory as projected: code, name, successor and merger day.
  struct DirectoryAgency {
    std::string code, name, successor, merged_on;
  };
  static AgencyGraph LoadAgencyGraph(pqxx::transaction_base& tx);
  static std::optional<AgencyRow> FindAgency(pqxx::transaction_base& tx, const std::string& code);
  // Standalone (no directory configured): the agency as RegisterAgency gives it.
  static void InsertAgency(pqxx::work& tx, const v1::Agency& a, absl::Time now);
  static void RegisterSupervision(pqxx::work& tx, const std::string& code,
                                  const std::vector<std::string>& supervisors);
  // The directory version last projected; 0 when none.
  static int64_t ProjectedDirectoryVersion(pqxx::transaction_base& tx);
  // Projects the directory's agencies at `version` (upserting names, successors and merger
  // days; supervision is kept); nothing when `version` is not newer than the last projected.
  // Returns the rows changed.
  static int ProjectDirectory(pqxx::work& tx, const std::vector<DirectoryAgency>& agencies,
                              int64_t version, absl::Time now);

  // Units, positions, quotas.
  static std::optional<v1::Unit> FindUnit(pqxx::transaction_base& tx, const std::string& code);
  static void InsertUnit(pqxx::work& tx, const v1::Unit& u, absl::Time now);
  static SqlQuery ListUnitsQuery(const std::vector<std::string>& agencies, const std::string& after,
                                 int limit);
  static std::vector<v1::Unit> ListUnits(pqxx::transaction_base& tx, const SqlQuery& q);
  // `lock`: FOR UPDATE, so that writers filling one position queue behind each other.
  static std::optional<v1::Position> FindPosition(pqxx::transaction_base& tx,
                                                  const std::string& code, bool lock);
  static void InsertPosition(pqxx::work& tx, const v1::Position& p, absl::Time now);
  // Every position of the agencies' units, in code order.
  static std::vector<v1::Position> AgencyPositions(pqxx::transaction_base& tx,
                                                   const std::vector<std::string>& agencies);
  static SqlQuery PositionsQuery(const std::string& unit, const AsOf& as_of);
  // The unit's positions, each with its holders as of the day.
  static std::vector<v1::Position> Positions(pqxx::transaction_base& tx, const SqlQuery& q);
  static std::optional<v1::Quota> FindQuota(pqxx::transaction_base& tx, const std::string& unit,
                                            int year, bool lock);
  static void InsertQuota(pqxx::work& tx, const v1::Quota& q);
  static void UpdateQuota(pqxx::work& tx, const v1::Quota& q);
  struct Headcount {
    int counted = 0;
    int contracted = 0;
  };
  static SqlQuery HeadcountQuery(const std::string& unit, const AsOf& as_of);
  static Headcount CountHeads(pqxx::transaction_base& tx, const SqlQuery& q);
  // The headcounts of several units in one statement (units with nobody left out).
  static std::map<std::string, Headcount> CountHeadsByUnit(pqxx::transaction_base& tx,
                                                           const std::vector<std::string>& units,
                                                           const AsOf& as_of);

  // People.
  static std::optional<v1::Person> FindPerson(pqxx::transaction_base& tx, int64_t id, bool lock);
  static std::optional<int64_t> PersonIdByCitizenId(pqxx::transaction_base& tx,
                                                    const std::string& citizen_id);
  static int64_t InsertPerson(pqxx::work& tx, const v1::Person& p, absl::Time now);
  static SqlQuery ListPeopleQuery(const std::vector<std::string>& agencies, int64_t after,
                                  int limit);
  // Citizen IDs as stored; the caller masks them.
  static std::vector<v1::Person> ListPeople(pqxx::transaction_base& tx, const SqlQuery& q);
  // Sets version = expected + 1 (and the agency, when given); false when the person is not at
  // `expected` (a concurrent writer got there first).
  static bool BumpVersion(pqxx::work& tx, int64_t id, int64_t expected,
                          const std::string& agency_code);
  static void SetAgency(pqxx::work& tx, int64_t id, const std::string& agency_code);
  static int64_t InsertQualification(pqxx::work& tx, int64_t person, const v1::Qualification& q,
                                     absl::Time now);
  static std::vector<v1::Qualification> Qualifications(pqxx::transaction_base& tx, int64_t person,
                                                       const AsOf& as_of);

  // History.
  static SqlQuery RecordAsOfQuery(int64_t person, v1::RecordKind kind, const AsOf& as_of);
  static std::optional<v1::HistoryRecord> RecordAsOf(pqxx::transaction_base& tx, int64_t person,
                                                     v1::RecordKind kind, const AsOf& as_of);
  // Every version of every record of the person.
  static std::vector<v1::HistoryRecord> History(pqxx::transaction_base& tx, int64_t person);
  // The current versions (as known now) of a person's records of a kind, by valid_from.
  static std::vector<StoredVersion> CurrentRecords(pqxx::transaction_base& tx, int64_t person,
                                                   v1::RecordKind kind);
  static std::optional<StoredVersion> CurrentVersion(pqxx::transaction_base& tx, int64_t record_id);
  // People other than `person` holding `position` (as known now) on some day of
  // [from, until); until nullopt: open-ended. The most on any one day.
  static int MostOtherHolders(pqxx::transaction_base& tx, const std::string& position,
                              int64_t person, absl::CivilDay from,
                              std::optional<absl::CivilDay> until);
  // Ends the recorded time of a version (it is superseded from `now`).
  static void Supersede(pqxx::work& tx, int64_t version_id, absl::Time now);
  // Writes a version; record_id 0 starts a new record. Returns the record id.
  static int64_t InsertVersion(pqxx::work& tx, int64_t person, const v1::HistoryRecord& r,
                               absl::Time now);

  // Rosters.
  static SqlQuery RosterQuery(const RosterFilter& f);
  struct RosterRow {
    int64_t person_id = 0;
    v1::HistoryRecord assignment;
    v1::Person person;                      // citizen ID as stored: the caller masks it
    std::optional<v1::HistoryRecord> rank;  // in force on the same day, as known then
  };
  static std::vector<RosterRow> Roster(pqxx::transaction_base& tx, const SqlQuery& q);
  // The ranks in force of several people (as of the same day and knowledge).
  static SqlQuery RanksQuery(const std::vector<int64_t>& people, const AsOf& as_of);
  static std::vector<std::pair<int64_t, v1::HistoryRecord>> Ranks(pqxx::transaction_base& tx,
                                                                  const SqlQuery& q);
  static std::vector<v1::Person> PeopleByIds(pqxx::transaction_base& tx,
                                             const std::vector<int64_t>& ids);

  // The demo province (cadre_store_demo.cc): whether it is loaded, and loading it into an
  // empty database in bulk (the history with its recorded times as generated).
  static bool DemoLoaded(pqxx::transaction_base& tx);
  static void LoadDemo(pqxx::work& tx, const DemoProvince& demo, absl::Time now);
};

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_CADRE_STORE_H_
