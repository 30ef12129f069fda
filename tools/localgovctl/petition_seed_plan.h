// The plan of `localgovctl seed petitions` (petition_seed_plan.cc): petition i of a year's n,
// generated from word lists by a seeded PRNG — its request, the handling steps that carry it to
// its fate, and the officer it goes to — the same every run. petition_seed.cc applies it.
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_PETITION_SEED_PLAN_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_PETITION_SEED_PLAN_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "localgov/petition/v1/petition_service.pb.h"

namespace localgovctl::petition_seed {

namespace pv1 = localgov::petition::v1;

// The seeded petitions' attachments live under <prefix><anchor>/<i>/ (how a later run finds
// the anchor).
inline constexpr char kUriPrefix[] = "s3://localgov-petitions/seed/";

// splitmix64: the same numbers on every platform (std distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  bool Chance(int percent) { return Below(100) < percent; }
  template <typename T, size_t N>
  const T& Pick(const T (&a)[N]) {
    return a[Below(static_cast<int>(N))];
  }

 private:
  uint64_t s_;
};

inline const char* const kPublications[] = {"niêm yết tại trụ sở UBND phường Nha Trang",
                                            "đăng trên Cổng thông tin điện tử của phường",
                                            "thông báo tại cuộc họp tổ dân phố"};

enum class Step {
  kAccept,
  kAcceptComplex,
  kGuide,
  kNotProcess,
  kAssign,
  kVerify,
  kDialogue,
  kExtend,
  kSuspend,
  kDecide,
  kPublish,
  kWithdraw,
  kCloseJurisdiction
};

// What becomes of petition i.
enum class Fate {
  kOpenReceived,
  kOpenAccepted,
  kOpenSuspended,
  kOpenExtended,
  kResolved,
  kGuided,
  kNotProcessed,
  kWithdrawn,
  kClosed
};

struct Planned {
  pv1::ReceivePetitionRequest request;
  std::vector<Step> steps;
  Fate fate = Fate::kResolved;
  pv1::NotProcessedReason not_processed = pv1::NOT_PROCESSED_REASON_UNSPECIFIED;
  std::string officer, topic;
  int seed = 0;
};

// Petition i of n, received over the year before `anchor` (a Vietnam day; `anchor_text` is
// its YYYY-MM-DD, part of every request id).
Planned Plan(int i, int n, absl::CivilDay anchor, const std::string& anchor_text);

}  // namespace localgovctl::petition_seed

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_PETITION_SEED_PLAN_H_
