#include "services/dossier/lookup.h"

#include <cctype>

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/status.h"
#include "services/dossier/dossier_store.h"

namespace localgov::dossier {
namespace {

std::string Last4(const std::string& s) { return s.size() >= 4 ? s.substr(s.size() - 4) : ""; }

// Only hashes of the factors are cached, salted with the code.
std::string FactorHash(const std::string& code, const std::string& last4) {
  return last4.size() == 4 ? Sha256Hex(absl::StrCat(code, "|", last4)) : std::string(64, '-');
}

constexpr size_t kHeader = 64 + 64 + 1;

}  // namespace

void PublicLookup::Invalidate(const std::string& code) {
  (void)redis_.Command({"DEL", absl::StrCat(prefix_, "pub:", code)});
}

absl::StatusOr<v1::PublicDossierView> PublicLookup::Lookup(const CallContext& call,
                                                           const std::string& code,
                                                           const std::string& factor) {
  Validator v;
  v.Check(!code.empty() && code.size() <= 64, "code", "required, at most 64 characters");
  bool digits = factor.size() == 4;
  for (char c : factor) digits &= std::isdigit(static_cast<unsigned char>(c)) != 0;
  v.Check(digits, "second_factor", "the last 4 digits of the applicant's citizen ID or phone");
  if (!v.ok()) return v.status();

  const absl::Status too_many = absl::ResourceExhaustedError("too many look-ups; try again later");
  // One round trip to Redis on a cache hit: the caller's counter (the portal's system role asks
  // for many people under one identity and limits its own users; every other caller is
  // limited per token subject and minute), the dossier's wrong-factor count and the view.
  const std::string fail_key = absl::StrCat(prefix_, "rl:lookup-fail:", code);
  const std::string cache_key = absl::StrCat(prefix_, "pub:", code);
  std::vector<std::vector<std::string>> commands;
  if (call.access.role != Role::kSystem) {
    const std::string key = absl::StrCat(prefix_, "rl:lookup:", call.access.subject, ":",
                                         absl::ToUnixSeconds(absl::Now()) / 60);
    commands.push_back({"INCR", key});
    commands.push_back({"EXPIRE", key, "60", "NX"});
  }
  commands.push_back({"MGET", fail_key, cache_key});
  std::string id_hash, phone_hash;
  v1::PublicDossierView view;
  bool have = false;
  if (auto replies = redis_.Pipeline(commands); replies.ok()) {
    if (commands.size() == 3 && (*replies)[0].ok() && (*replies)[0]->integer > kCallsPerMinute) {
      return too_many;
    }
    const auto& got = replies->back();
    if (got.ok() && got->type == RedisReply::Type::kArray && got->elements.size() == 2) {
      const auto& fails = got->elements[0];
      const auto& cached = got->elements[1];
      if (fails.type == RedisReply::Type::kString &&
          std::atoi(fails.str.c_str()) >= kWrongFactorsPerHour) {
        return too_many;
      }
      if (cached.type == RedisReply::Type::kString && cached.str.size() > kHeader) {
        id_hash = cached.str.substr(0, 64);
        phone_hash = cached.str.substr(64, 64);
        have = view.ParseFromString(cached.str.substr(kHeader));
      }
    }
  }
  if (!have) {
    std::optional<v1::Dossier> d;
    auto st = RunInTransaction(
        db_, "lookup_dossier",
        [&](pqxx::work& tx) -> absl::Status {
          d = DossierStore::Find(tx, code);
          return absl::OkStatus();
        },
        TxOptions{.read_only = true});
    if (!st.ok()) return st;
    if (!d.has_value()) return absl::NotFoundError("no dossier with this code and second factor");
    view.set_code(d->code());
    view.set_procedure_code(d->procedure_code());
    view.set_state(d->state());
    view.set_portal_status_code(d->portal_status_code());
    *view.mutable_received_time() = d->received_time();
    view.set_due_date(d->due_date());
    for (const auto& m : d->missing_documents()) view.add_missing_documents(m.name());
    view.set_outcome(d->outcome());
    id_hash = FactorHash(code, Last4(d->applicant().citizen_id()));
    phone_hash = FactorHash(code, Last4(d->applicant().phone()));
    (void)redis_.Command({"SET", cache_key,
                          absl::StrCat(id_hash, phone_hash, "|", view.SerializeAsString()), "EX",
                          absl::StrCat(kCacheTtlSeconds)});
  }
  const std::string given = FactorHash(code, factor);
  if (given != id_hash && given != phone_hash) {
    (void)redis_.Pipeline({{"INCR", fail_key}, {"EXPIRE", fail_key, "3600", "NX"}});
    return absl::NotFoundError("no dossier with this code and second factor");
  }
  return view;
}

}  // namespace localgov::dossier
