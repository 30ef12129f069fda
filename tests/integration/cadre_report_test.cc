// The standards report against real PostgreSQL: equal to a hand count, as of two days (the
// history, not a stored figure), per unit and per agency (the merged ward's unit included),
// bad input and access; the per-person detail (ListStandardsDetail) counted by hand.
#include "pqxx/pqxx"
#include "tests/integration/cadre_fixture.h"

namespace localgov::cadre {
namespace {

class CadreReportTest : public CadreTest {
 protected:
  // A person assigned to `position` from `from`, with the qualifications given; returns the id.
  int64_t Staff(const std::string& citizen_id, const std::string& position, const std::string& from,
                std::vector<std::tuple<v1::QualificationCategory, int, std::string>> quals,
                const std::string& agency = kCommune,
                v1::PersonKind kind = v1::PERSON_KIND_CIVIL_SERVANT) {
    auto p = NewPerson(citizen_id, "1985-01-01", v1::GENDER_FEMALE, agency, kind);
    v1::RecordAssignmentResponse ar;
    auto st = Assign(p.id(), p.version(), position, v1::MOVEMENT_ASSIGNMENT, from, "", &ar, agency);
    EXPECT_TRUE(st.ok()) << st.error_message();
    int64_t version = ar.person().version();
    for (const auto& [category, level, awarded] : quals) {
      v1::AddQualificationRequest req;
      req.set_person_id(p.id());
      req.set_expected_version(version);
      req.mutable_qualification()->set_category(category);
      req.mutable_qualification()->set_level(level);
      req.mutable_qualification()->set_field("Luật");
      req.mutable_qualification()->set_awarded_date(awarded);
      v1::AddQualificationResponse resp;
      st = Call(&v1::CadreService::Stub::AddQualification, req, &resp, Role::kOfficer, agency);
      EXPECT_TRUE(st.ok()) << st.error_message();
      version = resp.person().version();
    }
    return p.id();
  }

  grpc::Status Report(const std::string& unit, const std::string& agency, const std::string& as_of,
                      v1::GetStandardsReportResponse* resp, const std::string& caller = kCommune) {
    v1::GetStandardsReportRequest req;
    req.set_unit_code(unit);
    req.set_agency_code(agency);
    req.set_as_of(as_of);
    return Call(&v1::CadreService::Stub::GetStandardsReport, req, resp, Role::kOfficer, caller);
  }

  grpc::Status Detail(const std::string& unit, const std::string& as_of, int page_size,
                      const std::string& token, v1::ListStandardsDetailResponse* resp,
                      const std::string& caller = kCommune) {
    v1::ListStandardsDetailRequest req;
    req.set_unit_code(unit);
    req.set_as_of(as_of);
    req.set_page_size(page_size);
    req.set_page_token(token);
    return Call(&v1::CadreService::Stub::ListStandardsDetail, req, resp, Role::kOfficer, caller);
  }
  // Every page of a unit's detail.
  std::vector<v1::StandardsDetail> AllDetail(const std::string& unit, const std::string& as_of,
                                             int page_size, int* pages) {
    std::vector<v1::StandardsDetail> out;
    std::string token;
    *pages = 0;
    do {
      v1::ListStandardsDetailResponse resp;
      auto st = Detail(unit, as_of, page_size, token, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      if (!st.ok()) break;
      ++*pages;
      for (const auto& d : resp.people()) out.push_back(d);
      token = resp.next_page_token();
    } while (!token.empty());
    return out;
  }

  void SetUpStaff() {
    constexpr auto kProf = v1::QUALIFICATION_CATEGORY_PROFESSIONAL;
    constexpr auto kPolitical = v1::QUALIFICATION_CATEGORY_POLITICAL_THEORY;
    // The positions require a university degree (the fixture).
    Staff("056185000001", "C31-VH", "2025-01-01",
          {{kProf, v1::PROFESSIONAL_LEVEL_UNIVERSITY, "2010-06-30"},
           {kPolitical, v1::POLITICAL_THEORY_LEVEL_ELEMENTARY, "2015-01-01"}});
    Staff("056185000002", "C31-VH", "2025-01-01",
          {{kProf, v1::PROFESSIONAL_LEVEL_COLLEGE, "2008-06-30"}});
    // Contracted; a degree awarded on 2026-01-10 (none before).
    Staff("056185000003", "C31-VH", "2025-01-01",
          {{kProf, v1::PROFESSIONAL_LEVEL_UNIVERSITY, "2026-01-10"}}, kCommune,
          v1::PERSON_KIND_CONTRACTED);
    // Another commune's: never counted here.
    Staff("056185000004", "C32-VH", "2025-01-01",
          {{kProf, v1::PROFESSIONAL_LEVEL_UNIVERSITY, "2010-06-30"}}, kOtherCommune);
    // The merged ward's unit (answered for by the commune since 2025-07-01): no record.
    Staff("056185000005", "C21-VH", "2025-03-01", {}, kMergedWard);
    v1::SetQuotaRequest q;
    q.set_unit_code("C31-VP");
    q.set_year(2026);
    q.set_quota(5);
    v1::SetQuotaResponse qr;
    auto st = Call(&v1::CadreService::Stub::SetQuota, q, &qr);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
};

TEST_F(CadreReportTest, EqualsAHandCountAsOfTheDay) {
  SetUpStaff();
  v1::GetStandardsReportResponse r;
  auto st = Report("C31-VP", "", "2026-03-01", &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(r.units_size(), 1);
  const auto& u = r.units(0);
  // By hand: three people; two civil servants against a quota of 5, one contracted; two
  // university degrees, one college; one elementary political theory; two meet the standard.
  EXPECT_EQ(u.people(), 3);
  EXPECT_EQ(u.headcount(), 2);
  EXPECT_EQ(u.contracted(), 1);
  EXPECT_EQ(u.quota(), 5);
  EXPECT_EQ(u.professional_university(), 2);
  EXPECT_EQ(u.professional_college(), 1);
  EXPECT_EQ(u.professional_untrained(), 0);
  EXPECT_EQ(u.political_elementary(), 1);
  EXPECT_EQ(u.political_none(), 2);
  EXPECT_EQ(u.meeting_standard(), 2);
  EXPECT_EQ(r.share_meeting_standard_permille(), 667);  // 2/3
  // On 2026-01-01 the contracted one had no degree yet: one meets of three; no quota was
  // looked up for another year, the 2026 one counts.
  st = Report("C31-VP", "", "2026-01-01", &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r.units(0).professional_university(), 1);
  EXPECT_EQ(r.units(0).professional_untrained(), 1);
  EXPECT_EQ(r.units(0).meeting_standard(), 1);
  EXPECT_EQ(r.share_meeting_standard_permille(), 333);
  // Before anyone was assigned: nobody, no quota for 2024.
  st = Report("C31-VP", "", "2024-12-31", &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r.units(0).people(), 0);
  EXPECT_EQ(r.units(0).quota(), -1);
  EXPECT_EQ(r.share_meeting_standard_permille(), 0);
}

// A report is kept while the database is as it was (services/cadre/snapshot_cache.h): a write
// through the service, or straight into the database as another replica's would be, is in the
// next report.
TEST_F(CadreReportTest, AWriteIsInTheNextReport) {
  SetUpStaff();
  v1::GetStandardsReportResponse r;
  // C31-VP's quota in the agency's report.
  auto quota = [&] {
    for (const auto& u : r.units()) {
      if (u.unit_code() == "C31-VP") return u.quota();
    }
    return -2;
  };
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Report("", kCommune, "2026-03-01", &r).ok());
    EXPECT_EQ(quota(), 5);
  }
  v1::SetQuotaRequest q;
  q.set_unit_code("C31-VP");
  q.set_year(2026);
  q.set_quota(6);
  q.set_expected_version(1);
  v1::SetQuotaResponse qr;
  auto st = Call(&v1::CadreService::Stub::SetQuota, q, &qr);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_TRUE(Report("", kCommune, "2026-03-01", &r).ok());
  EXPECT_EQ(quota(), 6);
  ASSERT_TRUE(Report("C31-VP", "", "2026-03-01", &r).ok());
  EXPECT_EQ(r.units(0).quota(), 6);
  {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work w(conn);
    w.exec("UPDATE cadre_quotas SET quota = 7 WHERE unit_code = 'C31-VP' AND year = 2026");
    w.commit();
  }
  ASSERT_TRUE(Report("", kCommune, "2026-03-01", &r).ok());
  EXPECT_EQ(quota(), 7);
  ASSERT_TRUE(Report("C31-VP", "", "2026-03-01", &r).ok());
  EXPECT_EQ(r.units(0).quota(), 7);
}

TEST_F(CadreReportTest, PerAgencyWithTheMergedWardsUnits) {
  SetUpStaff();
  v1::GetStandardsReportResponse r;
  auto st = Report("", kCommune, "2026-03-01", &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(r.units_size(), 2);
  EXPECT_EQ(r.units(0).unit_code(), "C21-VP");
  EXPECT_EQ(r.units(0).people(), 1);
  EXPECT_EQ(r.units(0).professional_untrained(), 1);
  EXPECT_EQ(r.units(1).unit_code(), "C31-VP");
  EXPECT_EQ(r.total().unit_code(), "TOTAL");
  EXPECT_EQ(r.total().people(), 4);
  EXPECT_EQ(r.total().meeting_standard(), 2);
  EXPECT_EQ(r.total().quota(), 5);
  EXPECT_EQ(r.share_meeting_standard_permille(), 500);
}

// The per-person detail: the rows a user counts by hand, against the report's line and the
// fixture's verdicts worked out by hand.
TEST_F(CadreReportTest, DetailIsTheHandCountOfTheLine) {
  SetUpStaff();
  for (const char* day : {"2026-03-01", "2026-01-01"}) {
    int pages = 0;
    const auto rows = AllDetail("C31-VP", day, 2, &pages);
    ASSERT_EQ(rows.size(), 3u) << day;
    EXPECT_EQ(pages, 2) << "three people in pages of two";
    int meets = 0, contracted = 0;
    for (const auto& d : rows) {
      meets += d.meets_standard() ? 1 : 0;
      contracted += d.contracted() ? 1 : 0;
      EXPECT_EQ(d.meets_standard(), d.reason().empty()) << d.person_id();
    }
    v1::GetStandardsReportResponse r;
    auto st = Report("C31-VP", "", day, &r);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(meets, r.units(0).meeting_standard()) << day;
    EXPECT_EQ(static_cast<int>(rows.size()), r.units(0).people()) << day;
    EXPECT_EQ(contracted, r.units(0).contracted()) << day;
    EXPECT_EQ(r.share_meeting_standard_permille(),
              (meets * 1000 + static_cast<int>(rows.size()) / 2) / static_cast<int>(rows.size()));
  }
  // By hand on 2026-03-01 (positions require a university degree, nothing else): the first
  // meets; the second holds a college degree; the contracted one's degree of 2026-01-10 counts.
  int pages = 0;
  const auto rows = AllDetail("C31-VP", "2026-03-01", 0, &pages);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_LT(rows[0].person_id(), rows[1].person_id());
  EXPECT_LT(rows[1].person_id(), rows[2].person_id());
  EXPECT_EQ(rows[0].position_code(), "C31-VH");
  EXPECT_EQ(rows[0].required_professional_level(), v1::PROFESSIONAL_LEVEL_UNIVERSITY);
  EXPECT_EQ(rows[0].professional_level(), v1::PROFESSIONAL_LEVEL_UNIVERSITY);
  EXPECT_EQ(rows[0].political_theory(), v1::POLITICAL_THEORY_LEVEL_ELEMENTARY);
  ASSERT_EQ(rows[0].professional_fields_size(), 1);
  EXPECT_EQ(rows[0].professional_fields(0), "Luật");
  EXPECT_TRUE(rows[0].meets_standard());
  EXPECT_FALSE(rows[1].meets_standard());
  EXPECT_EQ(rows[1].professional_level(), v1::PROFESSIONAL_LEVEL_COLLEGE);
  EXPECT_EQ(rows[1].reason(), "professional level college below university");
  EXPECT_TRUE(rows[2].contracted());
  EXPECT_TRUE(rows[2].meets_standard());
  // On 2026-01-01 the contracted one had nothing recorded yet.
  const auto before = AllDetail("C31-VP", "2026-01-01", 0, &pages);
  ASSERT_EQ(before.size(), 3u);
  EXPECT_FALSE(before[2].meets_standard());
  EXPECT_EQ(before[2].professional_level(), v1::PROFESSIONAL_LEVEL_UNSPECIFIED);
  EXPECT_EQ(before[2].reason(), "professional level none below university");
}

// A position that requires a field: the report reads per person only the highest degree and
// the highest in that field; its count must equal the detail's, which reads every degree.
TEST_F(CadreReportTest, AFieldRequiredCountsTheDegreeInThatField) {
  v1::CreatePositionRequest preq;
  preq.set_request_id("position-C31-LUAT");
  auto* pos = preq.mutable_position();
  pos->set_code("C31-LUAT");
  pos->set_unit_code("C31-VP");
  pos->set_name("Công chức Tư pháp");
  pos->set_required_rank(v1::RANK_CHUYEN_VIEN);
  pos->set_required_professional_level(v1::PROFESSIONAL_LEVEL_UNIVERSITY);
  pos->set_required_field("Luật");
  pos->set_max_holders(5);
  v1::CreatePositionResponse presp;
  auto st = Call(&v1::CadreService::Stub::CreatePosition, preq, &presp, Role::kOfficer,
                 kHomeAffairs, "doha-officer");
  ASSERT_TRUE(st.ok()) << st.error_message();
  // Degrees: (level, field) each, awarded in 2010.
  auto person = [&](const std::string& citizen_id,
                    std::vector<std::pair<v1::ProfessionalLevel, std::string>> degrees) {
    auto p = NewPerson(citizen_id, "1985-01-01", v1::GENDER_MALE);
    v1::RecordAssignmentResponse ar;
    auto a = Assign(p.id(), p.version(), "C31-LUAT", v1::MOVEMENT_ASSIGNMENT, "2025-01-01", "", &ar,
                    kCommune);
    ASSERT_TRUE(a.ok()) << a.error_message();
    int64_t version = ar.person().version();
    for (const auto& [level, field] : degrees) {
      v1::AddQualificationRequest req;
      req.set_person_id(p.id());
      req.set_expected_version(version);
      req.mutable_qualification()->set_category(v1::QUALIFICATION_CATEGORY_PROFESSIONAL);
      req.mutable_qualification()->set_level(level);
      req.mutable_qualification()->set_field(field);
      req.mutable_qualification()->set_awarded_date("2010-06-30");
      v1::AddQualificationResponse resp;
      auto q = Call(&v1::CadreService::Stub::AddQualification, req, &resp);
      ASSERT_TRUE(q.ok()) << q.error_message();
      version = resp.person().version();
    }
  };
  // By hand: a university degree in accounting and a college one in law does not meet; a
  // university degree in law does; a college degree in accounting does not. One of three.
  person("056085000011", {{v1::PROFESSIONAL_LEVEL_UNIVERSITY, "Kế toán"},
                          {v1::PROFESSIONAL_LEVEL_COLLEGE, "Luật"}});
  person("056085000012", {{v1::PROFESSIONAL_LEVEL_UNIVERSITY, "Luật"}});
  person("056085000013", {{v1::PROFESSIONAL_LEVEL_COLLEGE, "Kế toán"}});
  v1::GetStandardsReportResponse r;
  st = Report("C31-VP", "", "2026-03-01", &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r.units(0).people(), 3);
  EXPECT_EQ(r.units(0).meeting_standard(), 1);
  EXPECT_EQ(r.units(0).professional_university(), 2);
  EXPECT_EQ(r.units(0).professional_college(), 1);
  int pages = 0;
  const auto rows = AllDetail("C31-VP", "2026-03-01", 0, &pages);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_FALSE(rows[0].meets_standard());
  EXPECT_EQ(rows[0].reason(), "no qualification at university or above in Luật");
  EXPECT_TRUE(rows[1].meets_standard());
  EXPECT_FALSE(rows[2].meets_standard());
  EXPECT_EQ(rows[2].reason(), "professional level college below university");
}

TEST_F(CadreReportTest, DetailBadInputAndAccess) {
  SetUpStaff();
  v1::ListStandardsDetailResponse r;
  auto st = Detail("", "2026-02-30", 501, "", &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"unit_code", "as_of", "page_size"}));
  st = Detail("C31-VP", "2026-03-01", 1, "", &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_FALSE(r.next_page_token().empty());
  const std::string token = r.next_page_token();
  // A token pages its own unit and day only.
  EXPECT_EQ(Fields(Detail("C31-VP", "2026-03-02", 1, token, &r)),
            std::vector<std::string>{"page_token"});
  EXPECT_EQ(Fields(Detail("C21-VP", "2026-03-01", 1, token, &r)),
            std::vector<std::string>{"page_token"});
  EXPECT_EQ(Fields(Detail("C31-VP", "2026-03-01", 1, "garbage", &r)),
            std::vector<std::string>{"page_token"});
  EXPECT_TRUE(Detail("C31-VP", "2026-03-01", 1, token, &r).ok());
  EXPECT_EQ(Detail("NOPE", "", 0, "", &r).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Detail("C31-VP", "", 0, "", &r, kOtherCommune).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Detail("C31-VP", "", 0, "", &r, kHomeAffairs).ok());
  office_ = "finance";
  EXPECT_EQ(Detail("C31-VP", "", 0, "", &r).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CadreReportTest, BadInputAndAccess) {
  v1::GetStandardsReportResponse r;
  auto st = Report("", "", "2026-02-30", &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"agency_code", "as_of"}));
  st = Report("C31-VP", kCommune, "", &r);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"agency_code"});
  EXPECT_EQ(Report("NOPE", "", "", &r).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Report("C31-VP", "", "", &r, kOtherCommune).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Report("", kCommune, "", &r, kOtherCommune).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Report("", kCommune, "", &r, kHomeAffairs).ok());
  office_ = "finance";
  EXPECT_EQ(Report("C31-VP", "", "", &r).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace localgov::cadre
