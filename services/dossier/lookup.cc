#include "services/dossier/lookup.h"

#include <cctype>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
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

// A cached entry: "<version>|<id hash><phone hash>|<view>"; a change's marker: "<version>|".
constexpr size_t kHashes = 64 + 64;

std::string Serialize(const PublicLookup::Entry& e) {
  return absl::StrCat(e.version, "|", e.id_hash, e.phone_hash, "|", e.view.SerializeAsString());
}

// The entry in a cached value; nullopt for a marker or anything unreadable.
std::optional<PublicLookup::Entry> Parse(absl::string_view value) {
  const size_t bar = value.find('|');
  PublicLookup::Entry e;
  if (bar == absl::string_view::npos || !absl::SimpleAtoi(value.substr(0, bar), &e.version)) {
    return std::nullopt;
  }
  value.remove_prefix(bar + 1);
  if (value.size() < kHashes + 1 || value[kHashes] != '|') return std::nullopt;
  e.id_hash = std::string(value.substr(0, 64));
  e.phone_hash = std::string(value.substr(64, 64));
  if (!e.view.ParseFromArray(value.data() + kHashes + 1,
                             static_cast<int>(value.size() - kHashes - 1))) {
    return std::nullopt;
  }
  return e;
}

// KEYS[1] the entry; ARGV: the version read, the value, the TTL in seconds. Run by Redis as one
// step, so no change's marker can slip between the comparison and the write.
constexpr const char* kSetUnlessNewer = R"lua(
local cur = redis.call('GET', KEYS[1])
if cur then
  local v = tonumber(string.match(cur, '^(%d+)|'))
  if v and v > tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
)lua";

absl::Status Validate(const std::string& code, const std::string& factor) {
  Validator v;
  v.Check(!code.empty() && code.size() <= 64, "code", "required, at most 64 characters");
  bool digits = factor.size() == 4;
  for (char c : factor) digits &= std::isdigit(static_cast<unsigned char>(c)) != 0;
  v.Check(digits, "second_factor", "the last 4 digits of the applicant's citizen ID or phone");
  return v.status();
}

absl::Status TooMany() {
  return absl::ResourceExhaustedError("too many look-ups; try again later");
}

}  // namespace

std::vector<std::string> PublicLookup::NearCachePrefixes(const std::string& key_prefix) {
  return {absl::StrCat(key_prefix, "pubv:"), absl::StrCat(key_prefix, "rl:lookup-fail:")};
}

std::string PublicLookup::FailKey(const std::string& code) const {
  return absl::StrCat(prefix_, "rl:lookup-fail:", code);
}

std::string PublicLookup::CacheKey(const std::string& code) const {
  return absl::StrCat(prefix_, "pubv:", code);
}

bool PublicLookup::SetUnlessNewer(const std::string& key, int64_t version,
                                  const std::string& value) {
  auto r = redis_.Command({"EVAL", kSetUnlessNewer, "1", key, absl::StrCat(version), value,
                           absl::StrCat(kCacheTtlSeconds)});
  return r.ok() && r->integer == 1;
}

void PublicLookup::Invalidate(const std::string& code, int64_t version) {
  (void)SetUnlessNewer(CacheKey(code), version, absl::StrCat(version, "|"));
  if (near_ != nullptr) near_->Drop({CacheKey(code)});  // after Redis: no older read refills it
}

bool PublicLookup::Fill(const std::string& code, const Entry& entry) {
  return SetUnlessNewer(CacheKey(code), entry.version, Serialize(entry));
}

absl::StatusOr<std::optional<PublicLookup::Entry>> PublicLookup::Load(const std::string& code) {
  std::optional<v1::Dossier> d;
  auto st = RunInTransaction(
      db_, "lookup_dossier",
      [&](pqxx::work& tx) -> absl::Status {
        d = DossierStore::Find(tx, code);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  if (!d.has_value()) return std::optional<Entry>();
  Entry e;
  e.version = d->version();
  auto& view = e.view;
  view.set_code(d->code());
  view.set_procedure_code(d->procedure_code());
  view.set_state(d->state());
  *view.mutable_received_time() = d->received_time();
  view.set_due_date(d->due_date());
  for (const auto& m : d->missing_documents()) view.add_missing_documents(m.name());
  view.set_outcome(d->outcome());
  e.id_hash = FactorHash(code, Last4(d->applicant().citizen_id()));
  e.phone_hash = FactorHash(code, Last4(d->applicant().phone()));
  return std::optional<Entry>(std::move(e));
}

std::optional<absl::StatusOr<v1::PublicDossierView>> PublicLookup::LookupInMemory(
    const CallContext& call, const std::string& code, const std::string& factor) {
  if (auto st = Validate(code, factor); !st.ok()) return st;
  if (near_ == nullptr || call.access.role != Role::kSystem) return std::nullopt;
  const auto fails = near_->Get(FailKey(code));
  const auto cached = near_->Get(CacheKey(code));
  if (!fails.has_value() || !cached.has_value()) return std::nullopt;
  if (fails->has_value() && std::atoi((*fails)->c_str()) >= kWrongFactorsPerHour) {
    return TooMany();
  }
  if (!cached->has_value()) return std::nullopt;
  auto entry = Parse(**cached);
  if (!entry.has_value()) return std::nullopt;  // a change's marker: read PostgreSQL
  const std::string given = FactorHash(code, factor);
  if (given != entry->id_hash && given != entry->phone_hash) return std::nullopt;  // counted there
  return std::move(entry->view);
}

absl::StatusOr<v1::PublicDossierView> PublicLookup::Lookup(const CallContext& call,
                                                           const std::string& code,
                                                           const std::string& factor) {
  if (auto st = Validate(code, factor); !st.ok()) return st;
  const absl::Status too_many = TooMany();
  // One round trip to Redis on a cache hit: the caller's counter (the portal's system role asks
  // for many people under one identity and limits its own users; every other caller is
  // limited per token subject and minute), the dossier's wrong-factor count and the view.
  const std::string fail_key = FailKey(code);
  const std::string cache_key = CacheKey(code);
  std::vector<std::vector<std::string>> commands;
  if (call.access.role != Role::kSystem) {
    const std::string key = absl::StrCat(prefix_, "rl:lookup:", call.access.subject, ":",
                                         absl::ToUnixSeconds(absl::Now()) / 60);
    commands.push_back({"INCR", key});
    commands.push_back({"EXPIRE", key, "60", "NX"});
  }
  commands.push_back({"MGET", fail_key, cache_key});
  const auto ticket =
      near_ != nullptr ? near_->Begin({fail_key, cache_key}) : RedisNearCache::Ticket{};
  std::optional<Entry> entry;
  if (auto replies = redis_.Pipeline(commands); replies.ok()) {
    if (commands.size() == 3 && (*replies)[0].ok() && (*replies)[0]->integer > kCallsPerMinute) {
      return too_many;
    }
    const auto& got = replies->back();
    if (got.ok() && got->type == RedisReply::Type::kArray && got->elements.size() == 2) {
      const auto& fails = got->elements[0];
      const auto& cached = got->elements[1];
      if (near_ != nullptr && cached.type == RedisReply::Type::kString) {
        near_->Put(ticket, fail_key,
                   fails.type == RedisReply::Type::kString ? RedisNearCache::Value(fails.str)
                                                           : std::nullopt);
        near_->Put(ticket, cache_key, cached.str);
      } else if (near_ != nullptr) {
        // No view in Redis (an unknown code, or not read yet): memory could not answer, so
        // keep nothing. Codes mistyped or guessed do not crowd out the ones asked again.
        near_->Drop({fail_key, cache_key});
      }
      if (fails.type == RedisReply::Type::kString &&
          std::atoi(fails.str.c_str()) >= kWrongFactorsPerHour) {
        return too_many;
      }
      if (cached.type == RedisReply::Type::kString) entry = Parse(cached.str);
    }
  }
  if (!entry.has_value()) {
    auto loaded = Load(code);
    if (!loaded.ok()) return loaded.status();
    if (!loaded->has_value()) {
      return absl::NotFoundError("no dossier with this code and second factor");
    }
    entry = std::move(*loaded);
    (void)Fill(code, *entry);
  }
  const std::string given = FactorHash(code, factor);
  if (given != entry->id_hash && given != entry->phone_hash) {
    (void)redis_.Pipeline({{"INCR", fail_key}, {"EXPIRE", fail_key, "3600", "NX"}});
    if (near_ != nullptr) near_->Drop({fail_key});
    return absl::NotFoundError("no dossier with this code and second factor");
  }
  return std::move(entry->view);
}

}  // namespace localgov::dossier
