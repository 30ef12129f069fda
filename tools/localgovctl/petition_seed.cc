// localgovctl seed petitions: a year of a commune's petitions for the demo, generated from word
// lists by a seeded PRNG (the same petitions every run), received over the twelve months before
// an anchor day, most carried to a final state and a few dozen left open.
//
// Idempotent: petition i is received with request_id "seed-petitions-<anchor>-<i>" and the same
// body every run (its received_time counts back from the anchor day), and only the handling
// steps past its current version are applied (each step is one transition, one version). The
// anchor is today the first time; later runs find it again in the seeded petitions' attachment
// URIs (s3://localgov-petitions/seed/<anchor>/...), so running again tomorrow adds nothing.
// Transitions are stamped with the service's clock (now). The plan of each petition is in
// petition_seed_plan.cc; this file applies it.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "localgov/petition/v1/petition_service.grpc.pb.h"
#include "tools/localgovctl/petition_commands.h"
#include "tools/localgovctl/petition_seed_plan.h"

namespace localgovctl {
namespace {

using namespace petition_seed;  // NOLINT: the plan's vocabulary (Planned, Step, Rng, ...)
using Stub = pv1::PetitionService::Stub;

// One seeding worker's connection, as a leader of the commune.
class Seeder {
 public:
  Seeder(const TokenOptions& token, const std::string& agency)
      : stub_(pv1::PetitionService::NewStub(Channel(*FindTarget("petition")))),
        bearer_("Bearer " + DevToken(token, Role::kLeader, agency, "seed-petitions")) {}

  template <typename Req, typename Resp>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                    const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer_);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(15));
    return ((*stub_).*method)(&ctx, req, resp);
  }

  // Applies step `s` of `p` to the petition at `version`.
  grpc::Status Apply(const Planned& p, Step s, const std::string& code, int64_t version) {
    Rng rng(static_cast<uint64_t>(p.seed) + static_cast<uint64_t>(s) * 7919);
    const auto kind = p.request.kind();
    auto transition = [&](auto& req, auto method) {
      req.set_code(code);
      req.set_expected_version(version);
      std::remove_pointer_t<decltype(GetResp(method))> resp;
      return Call(method, req, &resp);
    };
    switch (s) {
      case Step::kAccept:
      case Step::kAcceptComplex: {
        pv1::ClassifyPetitionRequest r;
        r.set_decision(pv1::CLASSIFICATION_DECISION_ACCEPT);
        r.set_reason("Đủ điều kiện thụ lý, thuộc thẩm quyền giải quyết của Chủ tịch UBND phường");
        r.set_complexity(s == Step::kAcceptComplex ? pv1::COMPLEXITY_COMPLEX
                                                   : pv1::COMPLEXITY_NORMAL);
        return transition(r, &Stub::ClassifyPetition);
      }
      case Step::kGuide: {
        pv1::ClassifyPetitionRequest r;
        r.set_decision(pv1::CLASSIFICATION_DECISION_GUIDE);
        const bool police = kind == pv1::PETITION_KIND_DENUNCIATION;
        r.set_competent_agency_code(police ? "000.00.10.G01" : "000.00.00.H41");
        r.set_reason(police
                         ? "Nội dung có dấu hiệu tội phạm, hướng dẫn gửi Công an tỉnh Khánh Hòa"
                         : "Không thuộc thẩm quyền của phường, hướng dẫn gửi UBND tỉnh Khánh Hòa");
        return transition(r, &Stub::ClassifyPetition);
      }
      case Step::kNotProcess: {
        pv1::ClassifyPetitionRequest r;
        r.set_decision(pv1::CLASSIFICATION_DECISION_NOT_PROCESS);
        r.set_not_processed_reason(p.not_processed);
        switch (p.not_processed) {
          case pv1::NOT_PROCESSED_REASON_UNSIGNED_OR_ANONYMOUS:
            r.set_reason("Đơn không ghi họ tên, địa chỉ người gửi; lưu đơn");
            break;
          case pv1::NOT_PROCESSED_REASON_OUT_OF_TIME:
            r.set_reason("Đã hết thời hiệu khiếu nại 90 ngày, không có lý do chính đáng");
            break;
          case pv1::NOT_PROCESSED_REASON_DUPLICATE_ANSWERED:
            r.set_reason("Nội dung trùng đơn đã được trả lời, không có tình tiết mới");
            break;
          case pv1::NOT_PROCESSED_REASON_ALREADY_SETTLED:
            r.set_reason("Vụ việc đã được giải quyết bằng quyết định có hiệu lực pháp luật");
            break;
          default:
            r.set_reason("Đơn gửi đồng thời nhiều nơi, đã gửi đến cơ quan có thẩm quyền");
        }
        return transition(r, &Stub::ClassifyPetition);
      }
      case Step::kAssign: {
        pv1::AssignPetitionRequest r;
        r.set_officer(p.officer);
        return transition(r, &Stub::AssignPetition);
      }
      case Step::kVerify: {
        pv1::RecordVerificationRequest r;
        static const char* const kNotes[] = {
            "Đã làm việc với người có đơn, thu thập tài liệu liên quan",
            "Đã kiểm tra thực địa, lập biên bản hiện trạng",
            "Đã làm việc với bộ phận chuyên môn và người bị phản ánh",
            "Đã đối chiếu hồ sơ lưu trữ, xác định nội dung đơn có cơ sở một phần"};
        r.set_note(rng.Pick(kNotes));
        return transition(r, &Stub::RecordVerification);
      }
      case Step::kDialogue: {
        pv1::RecordDialogueRequest r;
        r.add_participants(p.request.petitioner().full_name() + " (người khiếu nại)");
        r.add_participants("Phó Chủ tịch UBND phường");
        r.add_participants(absl::StrCat(p.officer, " (công chức tiếp dân)"));
        r.set_minutes(
            "Hai bên trao đổi nội dung khiếu nại và kết quả xác minh; người khiếu nại giữ "
            "nguyên ý kiến một phần");
        return transition(r, &Stub::RecordDialogue);
      }
      case Step::kExtend: {
        pv1::ExtendPetitionRequest r;
        r.set_days(15 + rng.Below(16));
        r.set_reason("Vụ việc phức tạp, cần xác minh thêm tại nhiều đơn vị");
        r.set_decision_number(absl::StrCat(300 + p.seed % 500, "/QĐ-UBND"));
        return transition(r, &Stub::ExtendPetition);
      }
      case Step::kSuspend: {
        pv1::SuspendPetitionRequest r;
        r.set_reason("Chờ kết quả giải quyết vụ việc liên quan");
        r.set_awaiting("Bản án sơ thẩm của Tòa án nhân dân khu vực về tranh chấp liên quan");
        return transition(r, &Stub::SuspendPetition);
      }
      case Step::kDecide: {
        pv1::DecidePetitionRequest r;
        const int o = rng.Below(100);
        if (kind == pv1::PETITION_KIND_COMPLAINT) {
          r.set_outcome(o < 25   ? pv1::OUTCOME_COMPLAINT_RIGHT
                        : o < 60 ? pv1::OUTCOME_COMPLAINT_PARTLY_RIGHT
                                 : pv1::OUTCOME_COMPLAINT_WRONG);
          r.set_decision_number(absl::StrCat(200 + p.seed % 700, "/QĐ-UBND"));
          r.set_summary(o < 60 ? "Chấp nhận nội dung khiếu nại, yêu cầu bộ phận chuyên môn "
                                 "điều chỉnh quyết định"
                               : "Giữ nguyên quyết định bị khiếu nại");
        } else if (kind == pv1::PETITION_KIND_DENUNCIATION) {
          r.set_outcome(o < 25   ? pv1::OUTCOME_DENUNCIATION_FOUNDED
                        : o < 55 ? pv1::OUTCOME_DENUNCIATION_PARTLY_FOUNDED
                                 : pv1::OUTCOME_DENUNCIATION_UNFOUNDED);
          r.set_decision_number(absl::StrCat(200 + p.seed % 700, "/KL-UBND"));
          r.set_summary(o < 55 ? "Kết luận nội dung tố cáo có cơ sở; kiểm điểm, xử lý người vi phạm"
                               : "Kết luận nội dung tố cáo không có cơ sở");
        } else {
          r.set_outcome(pv1::OUTCOME_ANSWERED);
          r.set_summary(absl::StrCat("Đã trả lời bằng văn bản: UBND phường tiếp thu và chỉ đạo ",
                                     "xử lý ", p.topic));
        }
        return transition(r, &Stub::DecidePetition);
      }
      case Step::kPublish: {
        pv1::PublishDecisionRequest r;
        r.set_publication(rng.Pick(kPublications));
        return transition(r, &Stub::PublishDecision);
      }
      case Step::kWithdraw: {
        pv1::ClosePetitionRequest r;
        r.set_reason(pv1::CLOSE_REASON_WITHDRAWN);
        r.set_note("Người gửi đơn có đơn xin rút, các bên đã tự hòa giải");
        return transition(r, &Stub::ClosePetition);
      }
      case Step::kCloseJurisdiction: {
        pv1::ClosePetitionRequest r;
        r.set_reason(pv1::CLOSE_REASON_NO_LONGER_IN_JURISDICTION);
        r.set_note("Vụ việc đã được Tòa án thụ lý giải quyết");
        return transition(r, &Stub::ClosePetition);
      }
    }
    return grpc::Status(grpc::StatusCode::INTERNAL, "no such step");
  }

 private:
  template <typename Req, typename Resp>
  static Resp* GetResp(grpc::Status (Stub::*)(grpc::ClientContext*, const Req&, Resp*)) {
    return nullptr;
  }

  std::unique_ptr<Stub> stub_;
  std::string bearer_;
};

// The anchor of an earlier seeding, from its attachments' URIs; "" when there was none.
std::string FindAnchor(Seeder& s, const std::string& agency) {
  pv1::ListPetitionsRequest req;
  req.set_agency_code(agency);
  req.set_page_size(500);
  const std::string prefix = kUriPrefix;
  while (true) {
    pv1::ListPetitionsResponse resp;
    if (!s.Call(&Stub::ListPetitions, req, &resp).ok()) return "";
    for (const auto& p : resp.petitions()) {
      for (const auto& a : p.attachments()) {
        if (a.storage_uri().rfind(prefix, 0) == 0 && a.storage_uri().size() >= prefix.size() + 10) {
          return a.storage_uri().substr(prefix.size(), 10);
        }
      }
    }
    if (resp.next_page_token().empty()) return "";
    req.set_page_token(resp.next_page_token());
  }
}

}  // namespace

int SeedPetitions(const TokenOptions& token, const std::string& agency, int count) {
  const auto started = std::chrono::steady_clock::now();
  Seeder first(token, agency);
  std::string anchor_text = FindAnchor(first, agency);
  absl::CivilDay anchor;
  if (anchor_text.empty() || !absl::ParseCivilTime(anchor_text, &anchor)) {
    anchor = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(7 * 3600));
    anchor_text = absl::FormatCivilTime(anchor);
  }
  std::atomic<int> next{0}, steps{0}, failed{0};
  std::mutex mu;
  std::map<std::string, int> by_state;
  Progress progress("seed petitions", count);  // on stderr; steps under `mu`
  auto work = [&] {
    Seeder s(token, agency);
    for (int i = next++; i < count; i = next++) {
      Planned p = Plan(i, count, anchor, anchor_text);
      pv1::ReceivePetitionResponse received;
      grpc::Status st;
      // Just after `stack.sh up` the service may still be loading its calendar or directory.
      for (int attempt = 0; attempt < 60; ++attempt) {
        st = s.Call(&Stub::ReceivePetition, p.request, &received);
        const bool warming = st.error_code() == grpc::StatusCode::UNAVAILABLE ||
                             (st.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
                              st.error_message().find("directory") != std::string::npos);
        if (!warming) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
      if (!st.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        PrintError(absl::StrCat("seed petition ", i), st);
        ++failed;
        progress.Step();
        continue;
      }
      const std::string code = received.petition().code();
      pv1::Petition now = received.petition();
      if (!p.steps.empty() || received.petition().events_size() != 1) {
        pv1::GetPetitionRequest get;
        get.set_code(code);
        pv1::GetPetitionResponse got;
        st = s.Call(&Stub::GetPetition, get, &got);
        if (!st.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          PrintError("seed " + code, st);
          ++failed;
          progress.Step();
          continue;
        }
        now = got.petition();
      }
      int64_t version = now.version();
      pv1::PetitionState state = now.state();
      for (size_t k = static_cast<size_t>(version - 1); k < p.steps.size(); ++k) {
        st = s.Apply(p, p.steps[k], code, version);
        if (!st.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          PrintError(absl::StrCat("seed ", code, " step ", k + 1), st);
          ++failed;
          break;
        }
        ++version;
        ++steps;
      }
      if (st.ok() && static_cast<size_t>(version - 1) >= p.steps.size()) {
        pv1::GetPetitionRequest get;
        get.set_code(code);
        pv1::GetPetitionResponse got;
        if (s.Call(&Stub::GetPetition, get, &got).ok()) state = got.petition().state();
      }
      std::lock_guard<std::mutex> lock(mu);
      ++by_state[pv1::PetitionState_Name(state).substr(15)];
      progress.Step();
    }
  };
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) workers.emplace_back(work);
  for (auto& w : workers) w.join();
  progress.Done();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::vector<std::string> parts;
  for (const auto& [state, n] : by_state) parts.push_back(absl::StrCat(n, " ", state));
  std::cout << absl::StrFormat(
      "seeded %d petitions of %s received over the year to %s (%d steps applied now, "
      "%.1f s): %s\n",
      count - failed.load(), agency, anchor_text, steps.load(), seconds,
      absl::StrJoin(parts, ", "));
  const int repeats = SeedRepeats(token, agency, anchor_text);
  return failed == 0 && repeats == 0 ? 0 : 1;
}

}  // namespace localgovctl
