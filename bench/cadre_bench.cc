// Benchmarks of the cadre service's as-of reads (issue 21, docs/benchmarks.md): not a test —
// it asserts nothing; it prints each round's figures, the medians, and whether each goal is met.
//   build/bench/cadre_bench [--rounds N] [--roster-only] [--report]
// It starts its own PostgreSQL 15 and Redis (the test harness, on free ports, in a temporary
// folder) and the cadre service in-process. The demo province is loaded and trimmed to its
// first 1,000 people (the baseline), then cloned by SQL to 100,000 people and 2,000,000
// history versions (each person's ten years copied once more twenty years earlier), and a
// unit with 500 holders is added. Goals: GetPerson as of a day at 100k people / 2M rows with
// p99 ≤ 1.5× the p99 at 1k (4 clients, same run); a unit's roster of 500 as of a day within
// 20 ms p99 (1 client); what falls due in that unit (ListDue, issue 23) within 1 s p99.
// --report: the standards report over the 100,000 people (every unit moved under one agency,
// each copy with its original's qualifications) within 1 s, beside the same report at 1,000
// and, at 100k, a plain SELECT count(*) of the same assignments in force (the same-run
// baseline); --explain prints EXPLAIN (ANALYZE, BUFFERS) of the report's statement first.
// With --report also: the agency-wide due worklist (ListDue by agency_code, every page, 365
// days ahead) over the same 100,000 people within 1 s, beside the agency's roster read page by
// page (GetRoster by agency_code, every page: the same people without the rules).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/directory_snapshot.h"
#include "common/page_token.h"
#include "localgov/cadre/v1/cadre_service.grpc.pb.h"
#include "pqxx/pqxx"
#include "services/cadre/cadre_spec.h"
#include "services/cadre/cadre_store.h"
#include "services/cadre/cadre_store_due.h"
#include "services/cadre/cadre_store_plan.h"
#include "services/cadre/demo_data.h"
#include "services/cadre/demo_due.h"
#include "tests/harness/dates.h"
#include "tests/harness/servers.h"
#include "tests/harness/service_fixture.h"

namespace localgov::cadre {
namespace {

struct Figures {
  int calls = 0, failures = 0;
  double seconds = 0, p50_ms = 0, p99_ms = 0;
};

// `call(rng)` `per_thread` times on each of `threads` threads; latencies of the successful ones.
template <typename Call>
Figures Measure(int threads, int per_thread, Call call) {
  std::vector<std::vector<double>> lat(threads);
  std::atomic<int> failures{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      uint64_t rng = 0x9E3779B97F4A7C15ull * (t + 1);
      for (int i = 0; i < per_thread; ++i) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        const auto a = std::chrono::steady_clock::now();
        if (!call(rng)) ++failures;
        lat[t].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a)
                .count());
      }
    });
  }
  for (auto& t : ts) t.join();
  Figures f;
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  f.calls = static_cast<int>(all.size());
  f.p50_ms = all[all.size() / 2];
  f.p99_ms = all[all.size() * 99 / 100];
  f.failures = failures.load();
  return f;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::string CsvLine(const v1::DueItem& i) {
  std::string reasons;
  for (const auto& r : i.reasons()) absl::StrAppend(&reasons, reasons.empty() ? "" : "|", r);
  return absl::StrCat(i.unit_code(), ",", i.person_id(), ",", static_cast<int>(i.kind()), ",",
                      i.due_date(), ",", i.overdue(), ",", i.full_name(), ",", i.position_code(),
                      ",", reasons);
}

class Bench {
 public:
  bool Start() {
    auto sut = testing::ServiceUnderTest::Start(
        Spec(),
        // The demo province is loaded by SQL here, agencies included: the service keeps its
        // own register (no liaison directory), as a cadre service deployed alone does.
        [](ServiceConfig& c) { c.extras.erase(kDirectoryTrustKeyVariable); }, &clock_);
    if (!sut.ok()) {
      std::cerr << "cadre_bench: the service did not start: " << sut.status() << "\n";
      return false;
    }
    sut_ = std::move(*sut);
    stub_ = v1::CadreService::NewStub(sut_->channel());
    // One token for every call, as a client sends: minting and verifying a new one per call
    // would measure ES256, not the reads.
    token_ =
        testing::ServiceUnderTest::Token(Role::kOfficer, "000.00.08.H41", "bench", "personnel");
    return true;
  }
  void Sql(const std::string& sql) {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::nontransaction tx(conn);
    tx.exec(sql);
  }
  // The first 1,000 people copied `copies` times (new ids and citizen IDs), each copy's
  // history with its own record ids.
  void CloneFirstThousand(int copies) {
    const std::string k = absl::StrCat(copies);
    Sql("INSERT INTO cadre_people (id, kind, citizen_id, full_name, birth_date, gender, ethnicity,"
        " agency_code, version) SELECT id + 1000 * k, kind, substr(citizen_id, 1, 6) ||"
        " lpad((id + 1000 * k)::text, 6, '0'), full_name, birth_date, gender, ethnicity,"
        " agency_code, version FROM cadre_people, generate_series(1, " +
        k + ") k");
    Sql("INSERT INTO cadre_history (record_id, person_id, kind, movement, position_code, unit_code,"
        " agency_code, term_end, rank, grade_code, step, coefficient_x100, valid_from, valid_until,"
        " recorded_from, recorded_until, change_kind, reason, recorded_by)"
        " SELECT record_id + 100000 * k, person_id + 1000 * k, kind, movement, position_code,"
        " unit_code, agency_code, term_end, rank, grade_code, step, coefficient_x100, valid_from,"
        " valid_until, recorded_from, recorded_until, change_kind, reason, recorded_by"
        " FROM cadre_history, generate_series(1, " +
        k + ") k");
    Sql("INSERT INTO cadre_evaluations (person_id, year, level, evaluated_on, agency_code,"
        " previous_agency_code, previous_agency_opinion, early_raise_months, correction_reason,"
        " recorded_from, recorded_until, recorded_by) SELECT person_id + 1000 * k, year, level,"
        " evaluated_on, agency_code, previous_agency_code, previous_agency_opinion,"
        " early_raise_months, correction_reason, recorded_from, recorded_until, recorded_by"
        " FROM cadre_evaluations, generate_series(1, " +
        k + ") k");
    Sql("INSERT INTO cadre_disciplines (person_id, form, offence, conduct_on, processing_started,"
        " complex, decided_on, effect_from, effect_until, decision_number, agency_code,"
        " recorded_from, recorded_until, recorded_by) SELECT person_id + 1000 * k, form, offence,"
        " conduct_on, processing_started, complex, decided_on, effect_from, effect_until,"
        " decision_number, agency_code, recorded_from, recorded_until, recorded_by"
        " FROM cadre_disciplines, generate_series(1, " +
        k + ") k");
  }
  int64_t Count(const std::string& sql) {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::nontransaction tx(conn);
    return tx.exec(sql)[0][0].as<int64_t>();
  }
  // GetPerson of a random person among the first `people`, as of a random day 2016–2026.
  Figures PersonAsOf(int64_t people) {
    return Measure(4, 1000, [&](uint64_t r) {
      v1::GetPersonRequest req;
      req.set_person_id(1 + static_cast<int64_t>(r % people));
      req.set_as_of(FormatDay(absl::CivilDay(2016, 1, 1) + static_cast<int>((r >> 20) % 3990)));
      v1::GetPersonResponse resp;
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer " + token_);
      return stub_->GetPerson(&ctx, req, &resp).ok();
    });
  }
  static void Report(const std::string& what, const Figures& f) {
    std::cout << what << ": " << f.calls << " calls (" << f.failures << " failed), "
              << static_cast<int>(f.calls / f.seconds) << "/s, p50 " << f.p50_ms << " ms, p99 "
              << f.p99_ms << " ms\n";
  }
  int Run(int rounds, bool roster_only);
  int RunReport(int rounds, bool explain);
  int hold_seconds_ = 0;
  bool no_due_ = false;  // --no-due: the standards report only
  bool verify_ = false;  // --verify: the agency's worklist three ways, compared
  std::string dump_;     // --dump FILE: with --verify, its sorted CSV

 private:
  FakeClock clock_{testing::VnTime(2026, 12, 6, 9, 0)};
  std::unique_ptr<testing::ServiceUnderTest> sut_;
  std::unique_ptr<v1::CadreService::Stub> stub_;
  std::string token_;
};

int Bench::Run(int rounds, bool roster_only) {
  {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    const DemoProvince demo = GenerateDemoProvince({}, *CadreRuleBook::Parse(""));
    CadreStore::LoadDemo(tx, demo, clock_.Now());
    // Their evaluations (2023–2025) and discipline decisions too: the worklist reads them.
    CadreDueStore::LoadDemo(tx, GenerateDemoDue(demo));
    tx.commit();
  }
  Sql("DELETE FROM cadre_evaluations WHERE person_id > 1000;"
      "DELETE FROM cadre_disciplines WHERE person_id > 1000;"
      "DELETE FROM cadre_history WHERE person_id > 1000;"
      "DELETE FROM cadre_qualifications WHERE person_id > 1000;"
      "DELETE FROM cadre_people WHERE id > 1000");
  Sql("VACUUM ANALYZE");
  const int64_t base_rows = Count("SELECT count(*) FROM cadre_history");
  std::vector<double> base_p99, big_p99;
  if (!roster_only) {
    PersonAsOf(1000);  // warm-up
    for (int round = 1; round <= rounds; ++round) {
      const Figures base = PersonAsOf(1000);
      Report(absl::StrCat("round ", round, ": GetPerson as of, 1,000 people, ", base_rows,
                          " history rows"),
             base);
      base_p99.push_back(base.p99_ms);
    }

    // 100,000 people: the first 1,000 copied 99 times (new ids and citizen IDs), each copy's
    // history with its own record ids; then every person's history once more, 20 years earlier.
    const auto t0 = std::chrono::steady_clock::now();
    CloneFirstThousand(99);
    // Earlier history: every row once more 20 years earlier, a fifth of the people's 40 years
    // earlier (open records closed a month after they start, so the copies stay apart).
    for (const auto& [years, offset, where] :
         {std::tuple{20, 20000000, "true"}, std::tuple{40, 40000000, "person_id % 5 = 0"}}) {
      Sql(absl::StrCat(
          "INSERT INTO cadre_history (record_id, person_id, kind, movement, position_code,"
          " unit_code, agency_code, term_end, rank, grade_code, step, coefficient_x100, valid_from,"
          " valid_until, recorded_from, recorded_until, change_kind, reason, recorded_by)"
          " SELECT record_id + ",
          offset,
          ", person_id, kind, movement, position_code, unit_code, agency_code, NULL, rank,"
          " grade_code, step, coefficient_x100, (valid_from - interval '",
          years, " years')::date, COALESCE((valid_until - interval '", years,
          " years')::date, (valid_from - interval '", years,
          " years')::date + 30), recorded_from - interval '", years,
          " years', recorded_until - interval '", years,
          " years', change_kind, reason, recorded_by FROM cadre_history WHERE record_id < ",
          20000000, " AND ", where));
    }
    Sql("VACUUM ANALYZE");
    const int64_t rows = Count("SELECT count(*) FROM cadre_history");
    const int64_t people = Count("SELECT count(*) FROM cadre_people");
    std::cout << "cloned to " << people << " people, " << rows << " history rows in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
              << " s\n";
    if (people < 100000 || rows < 2000000) {
      std::cerr << "cadre_bench: the clone is smaller than the goal's sizes\n";
      return 1;
    }
    PersonAsOf(people);  // warm-up
    for (int round = 1; round <= rounds; ++round) {
      const Figures big = PersonAsOf(people);
      Report(absl::StrCat("round ", round, ": GetPerson as of, ", people, " people, ", rows,
                          " history rows"),
             big);
      big_p99.push_back(big.p99_ms);
    }
  } else {
    // The roster's 500 holders need ids 50001–50500: clone the 1,000 people 50 times.
    CloneFirstThousand(50);
  }

  // A unit whose position 500 people held 2006–2016 (cloned civil servants), read as of a
  // random day of those years: one page of 500 entries with their ranks.
  Sql("INSERT INTO cadre_units (code, agency_code, name) VALUES ('BENCH-U', '000.00.31.H41',"
      " 'Bench unit');"
      "INSERT INTO cadre_positions (code, unit_code, name, required_rank, max_holders) VALUES"
      " ('BENCH-U-CV', 'BENCH-U', 'Chuyên viên', 3, 1000);"
      "INSERT INTO cadre_history (record_id, person_id, kind, movement, position_code, unit_code,"
      " agency_code, valid_from, valid_until, recorded_from, change_kind)"
      " SELECT 30000000 + id, id, 1, 1, 'BENCH-U-CV', 'BENCH-U', '000.00.31.H41', date"
      " '2006-01-01', date '2016-01-01', now(), 1 FROM cadre_people WHERE id BETWEEN 50001 AND"
      " 50500; ANALYZE cadre_history");
  auto roster = [&](uint64_t r) {
    v1::GetRosterRequest req;
    req.set_unit_code("BENCH-U");
    req.set_as_of(FormatDay(absl::CivilDay(2006, 1, 1) + static_cast<int>(r % 3600)));
    req.set_page_size(500);
    v1::GetRosterResponse resp;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token_);
    const bool ok = stub_->GetRoster(&ctx, req, &resp).ok() && resp.entries_size() == 500;
    return ok;
  };
  {
    // Where a roster's time goes: the statement alone, in the database.
    RosterFilter f;
    f.unit_codes = {"BENCH-U"};
    f.as_of = {absl::CivilDay(2010, 6, 1), std::nullopt};
    f.limit = 501;
    const SqlQuery q = CadreStore::RosterQuery(f);
    pqxx::connection conn(sut_->config().database_url);
    pqxx::nontransaction tx(conn);
    for (const auto& row : tx.exec_params("EXPLAIN (ANALYZE, BUFFERS) " + q.sql,
                                          pqxx::prepare::make_dynamic_params(q.params))) {
      std::cout << "  " << row[0].c_str() << "\n";
    }
  }
  Measure(4, 50, roster);  // warm-up
  std::vector<double> roster_p99;
  for (int round = 1; round <= rounds; ++round) {
    const Figures one = Measure(1, 500, roster);
    Report(absl::StrCat("round ", round,
                        ": GetRoster as of, a unit of 500 people (page of 500, with ranks), "
                        "1 client"),
           one);
    roster_p99.push_back(one.p99_ms);
  }
  const Figures r = Measure(4, 250, roster);
  Report("GetRoster as of, a unit of 500 people (page of 500, with ranks), 4 clients", r);

  // What falls due in the same unit (issue 23): its 500 people's rank history, decisions and
  // evaluations read and the next raise computed for each, every kind, five years ahead.
  auto due = [&](uint64_t r) {
    v1::ListDueRequest req;
    req.set_unit_code("BENCH-U");
    req.set_as_of(FormatDay(absl::CivilDay(2006, 1, 1) + static_cast<int>(r % 3600)));
    req.set_horizon_days(1830);
    v1::ListDueResponse resp;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token_);
    return stub_->ListDue(&ctx, req, &resp).ok();
  };
  Measure(1, 20, due);  // warm-up
  const Figures d = Measure(1, 200, due);
  Report("ListDue, a unit of 500 people (every kind, 1830 days), 1 client", d);

  std::cout << "\nmedians of " << rounds << " round(s):\n";
  if (!roster_only) {
    const double m = Median(big_p99) / Median(base_p99);
    std::cout << "  as-of read p99: " << Median(base_p99) << " ms at 1k, " << Median(big_p99)
              << " ms at 100k/2M: " << m << "x (goal <= 1.5): " << (m <= 1.5 ? "met" : "NOT met")
              << "\n";
  }
  const double rp = Median(roster_p99);
  std::cout << "  roster of 500, p99: " << rp
            << " ms (goal <= 20 ms): " << (rp <= 20.0 ? "met" : "NOT met") << "\n";
  std::cout << "  due worklist of a unit of 500, p99: " << d.p99_ms
            << " ms (goal <= 1000 ms): " << (d.p99_ms <= 1000.0 ? "met" : "NOT met") << "\n";
  return 0;
}

// The standards report (issue 23, item 9) over every unit, moved under one agency so that one
// call counts everybody: at 1,000 people (the baseline), then at 100,000.
int Bench::RunReport(int rounds, bool explain) {
  {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    const DemoProvince demo = GenerateDemoProvince({}, *CadreRuleBook::Parse(""));
    CadreStore::LoadDemo(tx, demo, clock_.Now());
    // Their evaluations (2023–2025) and discipline decisions too: the worklist reads them.
    CadreDueStore::LoadDemo(tx, GenerateDemoDue(demo));
    tx.commit();
  }
  Sql("DELETE FROM cadre_evaluations WHERE person_id > 1000;"
      "DELETE FROM cadre_disciplines WHERE person_id > 1000;"
      "DELETE FROM cadre_history WHERE person_id > 1000;"
      "DELETE FROM cadre_qualifications WHERE person_id > 1000;"
      "DELETE FROM cadre_people WHERE id > 1000;"
      "UPDATE cadre_units SET agency_code = '000.00.31.H41', parent_code = NULL;"
      // The people and their assignments too, for the agency-wide worklist and roster.
      "UPDATE cadre_people SET agency_code = '000.00.31.H41';"
      "UPDATE cadre_history SET agency_code = '000.00.31.H41' WHERE kind = 1");
  Sql("VACUUM ANALYZE");
  int counted = 0;
  auto report = [&](uint64_t) {
    v1::GetStandardsReportRequest req;
    req.set_agency_code("000.00.31.H41");
    req.set_as_of("2025-01-01");
    v1::GetStandardsReportResponse resp;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token_);
    const bool ok = stub_->GetStandardsReport(&ctx, req, &resp).ok();
    counted = resp.total().people();
    return ok;
  };
  std::vector<double> base, big;
  Measure(1, 3, report);  // warm-up
  for (int round = 1; round <= rounds; ++round) {
    const Figures f = Measure(1, 10, report);
    Report(absl::StrCat("round ", round, ": GetStandardsReport, ", counted, " people counted"), f);
    base.push_back(f.p99_ms);
  }
  CloneFirstThousand(99);
  // Each copy holds its original's qualifications too (the report reads them all).
  Sql("INSERT INTO cadre_qualifications (person_id, category, level, field, awarded_on,"
      " recorded_at) SELECT person_id + 1000 * k, category, level, field, awarded_on, recorded_at"
      " FROM cadre_qualifications, generate_series(1, 99) k");
  Sql("VACUUM ANALYZE");
  std::cout << Count("SELECT count(*) FROM cadre_history") << " history rows, "
            << Count("SELECT count(*) FROM cadre_qualifications") << " qualifications\n";
  if (hold_seconds_ > 0) {
    // For trying plans by hand (psql) on the seeded database.
    std::cout << "holding " << hold_seconds_ << " s: " << sut_->config().database_url << std::endl;
    std::this_thread::sleep_for(std::chrono::seconds(hold_seconds_));
  }
  // The same-run baseline: counting the same assignments in force in plain SQL (an index-only
  // scan of the rows the report reads first), on one connection.
  pqxx::connection conn(sut_->config().database_url);
  if (explain) {
    pqxx::work tx(conn);
    // As PlanStore sets them.
    tx.exec("SET LOCAL jit = off; SET LOCAL work_mem = '32MB'");
    for (const auto& r : tx.exec_params(
             "EXPLAIN (ANALYZE, BUFFERS) " + PlanStore::StandardsGroupsSql(),
             tx.exec("SELECT array_agg(code)::text FROM cadre_units")[0][0].as<std::string>(),
             "2025-01-01")) {
      std::cout << r[0].as<std::string>() << "\n";
    }
  }
  auto baseline = [&](uint64_t) {
    pqxx::nontransaction tx(conn);
    return tx.exec(
                 "SELECT count(*) FROM cadre_history WHERE kind = 1 AND recorded_until IS NULL"
                 " AND valid_from <= '2025-01-01' AND (valid_until IS NULL OR"
                 " valid_until > '2025-01-01')")[0][0]
               .as<int64_t>() > 0;
  };
  Measure(1, 2, report);  // warm-up
  std::vector<double> big50, plain50, plain99;
  for (int round = 1; round <= rounds; ++round) {
    const Figures p = Measure(1, 10, baseline);
    Report(absl::StrCat("round ", round, ": baseline SELECT count(*) of the assignments in force"),
           p);
    plain50.push_back(p.p50_ms);
    plain99.push_back(p.p99_ms);
    const Figures f = Measure(1, 10, report);
    Report(absl::StrCat("round ", round, ": GetStandardsReport, ", counted, " people counted"), f);
    big.push_back(f.p99_ms);
    big50.push_back(f.p50_ms);
  }
  std::vector<double> due50, due99, roster50, roster99;
  if (no_due_) {
    std::cout << "\nmedians of " << rounds << " round(s):\n  standards report p99: " << Median(base)
              << " ms at 1k, " << Median(big) << " ms at 100k; p50 at 100k " << Median(big50)
              << " ms; baseline count(*) p50 " << Median(plain50)
              << " ms; report / baseline p50: " << Median(big50) / Median(plain50) << "x\n";
    return 0;
  }
  // The agency-wide worklist, every page, beside the agency's roster, every page; each page's
  // time kept too.
  int items = 0, pages = 0, entries = 0;
  std::vector<double> page_ms;
  // `write`: 0 none; 1 a committed write before the walk (the agency computed again: "cold");
  // 2 one before every page (every later page finds the database changed and reads its own
  // people, as session 14 did). `first_token`: where the walk starts (empty: the first page).
  // `csv`: every item as a CSV line, when given.
  pqxx::connection writer(sut_->config().database_url);
  auto write = [&] {
    pqxx::nontransaction w(writer);
    w.exec("SELECT txid_current()");  // a transaction id taken and committed: a new snapshot
  };
  auto walk = [&](int writes, const std::string& first_token, std::vector<std::string>* csv) {
    v1::ListDueRequest req;
    req.set_agency_code("000.00.31.H41");
    req.set_as_of("2025-01-01");
    req.set_horizon_days(365);
    req.set_page_size(5000);
    req.set_page_token(first_token);
    items = pages = 0;
    if (writes == 1) write();
    for (;;) {
      if (writes == 2) write();
      v1::ListDueResponse resp;
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer " + token_);
      const auto a = std::chrono::steady_clock::now();
      if (!stub_->ListDue(&ctx, req, &resp).ok()) return false;
      page_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
      items += resp.items_size();
      ++pages;
      if (csv != nullptr) {
        for (const auto& i : resp.items()) csv->push_back(CsvLine(i));
      }
      if (resp.next_page_token().empty()) return true;
      req.set_page_token(resp.next_page_token());
    }
  };
  auto due = [&](uint64_t) { return walk(0, "", nullptr); };
  auto due_cold = [&](uint64_t) { return walk(1, "", nullptr); };
  if (verify_) {
    // The same items three ways, on the same database: the whole agency paged from memory; the
    // session-14 path alone (started from a token before every unit, a write before every
    // page); and ListDue of each unit on its own (another code path again).
    std::vector<std::string> whole, chunked, by_unit;
    walk(1, "", &whole);
    walk(2, EncodePageToken("cd1:", "0:1:!"), &chunked);
    pqxx::nontransaction q(writer);
    for (const auto& u : q.exec("SELECT code FROM cadre_units")) {
      v1::ListDueRequest req;
      req.set_unit_code(u[0].as<std::string>());
      req.set_as_of("2025-01-01");
      req.set_horizon_days(365);
      v1::ListDueResponse resp;
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer " + token_);
      if (!stub_->ListDue(&ctx, req, &resp).ok()) return 1;
      for (const auto& i : resp.items()) by_unit.push_back(CsvLine(i));
    }
    const auto agree = [](std::vector<std::string> a, std::vector<std::string> b) {
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      return a == b;
    };
    std::cout << "verify: whole agency " << whole.size() << " items, session-14 path "
              << chunked.size() << ", unit by unit " << by_unit.size()
              << "; whole == session-14 path (in page order too): "
              << (whole == chunked ? "yes" : "NO")
              << "; sorted whole == sorted unit by unit: " << (agree(whole, by_unit) ? "yes" : "NO")
              << "\n";
    if (!dump_.empty()) {
      std::sort(whole.begin(), whole.end());
      std::ofstream f(dump_);
      for (const auto& l : whole) f << l << "\n";
    }
  }
  auto roster = [&](uint64_t) {
    v1::GetRosterRequest req;
    req.set_agency_code("000.00.31.H41");
    req.set_as_of("2025-01-01");
    req.set_page_size(1000);
    entries = 0;
    for (;;) {
      v1::GetRosterResponse resp;
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer " + token_);
      if (!stub_->GetRoster(&ctx, req, &resp).ok()) return false;
      entries += resp.entries_size();
      if (resp.next_page_token().empty()) return true;
      req.set_page_token(resp.next_page_token());
    }
  };
  Measure(1, 1, due);  // warm-up
  Measure(1, 1, roster);
  page_ms.clear();
  std::vector<double> cold50, cold99, cold_page;
  for (int round = 1; round <= rounds; ++round) {
    const Figures r = Measure(1, 5, roster);
    Report(absl::StrCat("round ", round, ": baseline GetRoster of the agency, ", entries,
                        " entries, every page of 1000"),
           r);
    roster50.push_back(r.p50_ms);
    roster99.push_back(r.p99_ms);
    page_ms.swap(cold_page);
    const Figures c = Measure(1, 5, due_cold);
    page_ms.swap(cold_page);
    Report(absl::StrCat("round ", round, ": ListDue of the agency, a write before each walk, ",
                        items, " items in ", pages, " page(s) of 5000"),
           c);
    cold50.push_back(c.p50_ms);
    cold99.push_back(c.p99_ms);
    const Figures d = Measure(1, 5, due);
    Report(absl::StrCat("round ", round, ": ListDue of the agency, no write between walks, ", items,
                        " items in ", pages, " page(s) of 5000"),
           d);
    due50.push_back(d.p50_ms);
    due99.push_back(d.p99_ms);
  }
  // The standards report again, each call after a write (computed, not kept).
  std::vector<double> report_cold50, report_cold99;
  for (int round = 1; round <= rounds; ++round) {
    const Figures f = Measure(1, 10, [&](uint64_t r) {
      write();
      return report(r);
    });
    Report(absl::StrCat("round ", round, ": GetStandardsReport after a write, ", counted,
                        " people counted"),
           f);
    report_cold50.push_back(f.p50_ms);
    report_cold99.push_back(f.p99_ms);
  }
  std::sort(cold_page.begin(), cold_page.end());
  std::cout << "\nafter a write (computed again): standards report p50 " << Median(report_cold50)
            << " ms, p99 " << Median(report_cold99)
            << " ms; agency-wide due worklist (every page) p50 " << Median(cold50) << " ms, p99 "
            << Median(cold99)
            << " ms (goal <= 1000 ms): " << (Median(cold99) <= 1000 ? "met" : "NOT met")
            << "; its pages: p50 " << cold_page[cold_page.size() / 2] << " ms, p99 "
            << cold_page[cold_page.size() * 99 / 100]
            << " ms; due (cold) / roster p50: " << Median(cold50) / Median(roster50) << "x\n";
  std::cout << "medians of " << rounds
            << " round(s), no write between calls (the second call on is kept):\n"
               "  standards report p99: "
            << Median(base) << " ms at 1k, " << Median(big)
            << " ms at 100k (goal <= 1000 ms): " << (Median(big) <= 1000 ? "met" : "NOT met")
            << "\n  p50 at 100k " << Median(big50) << " ms; baseline count(*) p50 "
            << Median(plain50) << " ms, p99 " << Median(plain99)
            << " ms; report / baseline p50: " << Median(big50) / Median(plain50) << "x\n"
            << "  agency-wide due worklist (every page) p99: " << Median(due99)
            << " ms (goal <= 1000 ms): " << (Median(due99) <= 1000 ? "met" : "NOT met") << "; p50 "
            << Median(due50) << " ms; baseline roster (every page) p50 " << Median(roster50)
            << " ms, p99 " << Median(roster99)
            << " ms; due / roster p50: " << Median(due50) / Median(roster50) << "x\n";
  std::sort(page_ms.begin(), page_ms.end());
  const double page99 = page_ms[page_ms.size() * 99 / 100];
  std::cout << "  agency-wide due worklist, one page of 5000 (" << page_ms.size()
            << " pages in all rounds): p50 " << page_ms[page_ms.size() / 2] << " ms, p99 " << page99
            << " ms (goal <= 1000 ms): " << (page99 <= 1000 ? "met" : "NOT met") << "\n";
  return 0;
}

}  // namespace
}  // namespace localgov::cadre

int main(int argc, char** argv) {
  int rounds = 3;
  bool roster_only = false, report = false, explain = false;
  int hold = 0;
  bool no_due = false, verify = false;
  std::string dump;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rounds" && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--roster-only") {
      roster_only = true;
    } else if (arg == "--report") {
      report = true;
    } else if (arg == "--explain") {
      explain = true;
    } else if (arg == "--no-due") {
      no_due = true;
    } else if (arg == "--verify") {
      verify = true;
    } else if (arg == "--dump" && i + 1 < argc) {
      dump = argv[++i];
    } else if (arg == "--hold" && i + 1 < argc) {
      hold = std::max(0, std::atoi(argv[++i]));
    } else {
      std::cerr << "usage: cadre_bench [--rounds N] [--roster-only] [--report [--explain]"
                   " [--hold SECONDS] [--no-due] [--verify [--dump FILE]]]\n";
      return 2;
    }
  }
  auto& servers = localgov::testing::TestServers::Get();
  if (auto st = servers.Start(); !st.ok()) {
    std::cerr << "cadre_bench: PostgreSQL and Redis did not start: " << st.message() << "\n";
    servers.Stop();
    return 1;
  }
  int rc = 1;
  {
    localgov::cadre::Bench bench;
    bench.hold_seconds_ = hold;
    bench.no_due_ = no_due;
    bench.verify_ = verify;
    bench.dump_ = dump;
    if (bench.Start())
      rc = report ? bench.RunReport(rounds, explain) : bench.Run(rounds, roster_only);
  }
  servers.Stop();
  return rc;
}
