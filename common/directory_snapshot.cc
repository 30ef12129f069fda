#include "common/directory_snapshot.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/logging.h"
#include "common/server.h"
#include "google/protobuf/util/time_util.h"

namespace localgov {
namespace {

namespace lv1 = liaison::v1;

std::string Digest(const std::string& content) {
  return Sha256(absl::StrCat("localgov-directory-v1\n", content));
}

absl::Time FromTs(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(t));
}

// Keeps the newer of two snapshots: replicas may refresh at different times.
constexpr const char* kStoreIfNewer =
    "local cur = redis.call('HGET', KEYS[1], 'version')\n"
    "if cur and tonumber(cur) >= tonumber(ARGV[1]) then return 0 end\n"
    "redis.call('HSET', KEYS[1], 'version', ARGV[1], 'snapshot', ARGV[2])\n"
    "return 1\n";

}  // namespace

absl::StatusOr<std::string> ParseTrustKey(const std::string& base64) {
  std::string key;
  if (!absl::Base64Unescape(base64, &key) || key.size() != 32) {
    return absl::InvalidArgumentError(
        "the directory trust key must be the base64 of a 32-byte Ed25519 public key");
  }
  return key;
}

lv1::SignedDirectory SignDirectory(const lv1::DirectoryContent& content, const SigningKey& key) {
  lv1::SignedDirectory out;
  out.set_content(content.SerializeAsString());
  out.set_signing_key_id(key.key_id);
  out.set_signature(Ed25519Sign(key.secret_key, Digest(out.content())));
  out.set_version(content.version());
  return out;
}

absl::StatusOr<lv1::DirectoryContent> VerifyDirectory(const lv1::SignedDirectory& s,
                                                      const std::string& trusted_public_key) {
  if (!Ed25519Verify(trusted_public_key, Digest(s.content()), s.signature())) {
    return absl::UnauthenticatedError(
        "the directory snapshot is not signed by the trusted liaison key");
  }
  lv1::DirectoryContent content;
  if (!content.ParseFromString(s.content())) {
    return absl::UnauthenticatedError("the directory snapshot does not parse");
  }
  if (content.version() != s.version()) {
    return absl::UnauthenticatedError("the directory snapshot's version does not match");
  }
  return content;
}

DirectoryView::DirectoryView(lv1::DirectoryContent content) : content_(std::move(content)) {
  for (const auto& a : content_.agencies()) agencies_[a.code()] = &a;
  for (const auto& k : content_.keys()) keys_[{k.agency_code(), k.key_id()}] = &k;
  for (const auto& r : content_.access_rights()) {
    rights_.insert({r.sender_agency_code(), r.type(), r.receiver_agency_code()});
  }
  for (const auto& [code, agency] : agencies_) {
    if (agency->status() != lv1::AGENCY_STATUS_MERGED) continue;
    absl::CivilDay day;  // the liaison requires the date; a record without one counts always
    if (!absl::ParseCivilTime(agency->status_effective_date(), &day)) day = absl::CivilDay(1, 1, 1);
    merged_on_[code] = day;
  }
  // Every agency a merged one may come to answer under, by any date: each one further along
  // its recorded chain (AnsweredBy then keeps those the chain reaches on the day asked).
  for (const auto& [code, agency] : agencies_) {
    std::vector<std::string> chain;
    if (Follow(code, std::nullopt, &chain) == nullptr) continue;  // a loop
    for (size_t i = 1; i < chain.size(); ++i) {
      predecessors_[chain[i]].push_back(code);  // agencies_ is in code order
    }
  }
}

std::vector<std::string> DirectoryView::AnsweredBy(const std::string& code,
                                                   absl::CivilDay day) const {
  std::vector<std::string> out = {code};
  if (auto it = predecessors_.find(code); it != predecessors_.end()) {
    for (const auto& p : it->second) {
      const auto* answering = Follow(p, day, nullptr);
      if (answering != nullptr && answering->code() == code) out.push_back(p);
    }
  }
  return out;
}

DirectoryView::SenderCheck DirectoryView::CheckSender(const lv1::Envelope& e,
                                                      const std::string& receiver) const {
  if (keys_.count({e.sender_agency_code(), e.signing_key_id()}) == 0) {
    return SenderCheck::kUnknownKey;
  }
  const auto* key = KeyValidAt(e.sender_agency_code(), e.signing_key_id(), FromTs(e.create_time()));
  // Signed outside the key's validity, or not by it.
  if (key == nullptr || !VerifyEnvelope(e, key->public_key())) return SenderCheck::kBadSignature;
  // The right was granted to the agency it was addressed to; a merged receiver's successor
  // takes its envelopes.
  if (!Allowed(e.sender_agency_code(), e.type(), e.receiver_agency_code()) &&
      !Allowed(e.sender_agency_code(), e.type(), receiver)) {
    return SenderCheck::kNotAllowed;
  }
  return SenderCheck::kOk;
}

const lv1::Agency* DirectoryView::FindAgency(const std::string& code) const {
  auto it = agencies_.find(code);
  return it == agencies_.end() ? nullptr : it->second;
}

const lv1::AgencyKeyEntry* DirectoryView::KeyValidAt(const std::string& agency,
                                                     const std::string& key_id,
                                                     absl::Time at) const {
  auto it = keys_.find({agency, key_id});
  if (it == keys_.end()) return nullptr;
  const auto& key = *it->second;
  if (at < FromTs(key.valid_from()) || (key.has_valid_until() && at >= FromTs(key.valid_until()))) {
    return nullptr;
  }
  return &key;
}

bool DirectoryView::Allowed(const std::string& sender, int type,
                            const std::string& receiver) const {
  return rights_.count({sender, type, receiver}) > 0;
}

const lv1::Agency* DirectoryView::ResolveAgency(const std::string& code, absl::CivilDay day,
                                                std::vector<std::string>* chain) const {
  return Follow(code, day, chain);
}

const lv1::Agency* DirectoryView::Follow(const std::string& code, std::optional<absl::CivilDay> day,
                                         std::vector<std::string>* chain) const {
  constexpr int kMaxChain = 16;  // mergers do not nest deeper; a longer chain is a cycle
  std::string current = code;
  for (int i = 0; i < kMaxChain; ++i) {
    const auto* a = FindAgency(current);
    if (a == nullptr) return nullptr;
    if (chain != nullptr) chain->push_back(current);
    if (a->status() != lv1::AGENCY_STATUS_MERGED || a->successor_code().empty()) return a;
    if (day.has_value() && merged_on_.at(current) > *day) return a;  // not merged yet that day
    current = a->successor_code();
  }
  return nullptr;
}

DirectoryCache::DirectoryCache(Options options, RedisPool& redis)
    : options_(std::move(options)), redis_(redis) {
  if (!options_.liaison_address.empty()) {
    stub_ =
        lv1::LiaisonService::NewStub(PeerChannel(options_.liaison_address, options_.credentials));
  }
}

void DirectoryCache::Start() {
  thread_.Start([this, failures = 0]() mutable {
    if (auto st = RefreshOnce(); !st.ok()) {
      // Once, then every minute while it lasts (the liaison may start after us).
      if (failures++ % 60 == 0) {
        spdlog::warn("directory snapshot not refreshed: {}", st.message());
      }
      return absl::Seconds(1);  // sooner while it fails
    }
    if (failures > 0) spdlog::info("directory snapshot refreshed again");
    failures = 0;
    return options_.refresh;
  });
}

std::shared_ptr<const DirectoryView> DirectoryCache::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

std::string DirectoryCache::AgencyName(const std::string& code) const {
  auto view = Current();
  const auto* agency = view != nullptr ? view->FindAgency(code) : nullptr;
  return agency != nullptr ? agency->name() : std::string();
}

absl::Status DirectoryCache::Install(const lv1::SignedDirectory& snapshot, bool from_redis) {
  auto content = VerifyDirectory(snapshot, options_.trusted_public_key);
  if (!content.ok()) return content.status();
  auto view = std::make_shared<const DirectoryView>(std::move(*content));
  {
    std::lock_guard lock(mu_);
    if (current_ != nullptr && current_->version() >= view->version()) return absl::OkStatus();
    current_ = view;
  }
  spdlog::info("directory snapshot version {} in use ({})", view->version(),
               from_redis ? "from Redis" : "from the liaison service");
  if (!from_redis) {
    // Best effort: Redis only spares the other replicas (and a restart) a fetch.
    auto stored = redis_.Command({"EVAL", kStoreIfNewer, "1", options_.redis_key,
                                  absl::StrCat(snapshot.version()), snapshot.SerializeAsString()});
    if (!stored.ok())
      spdlog::warn("directory snapshot not kept in Redis: {}", stored.status().message());
  }
  return absl::OkStatus();
}

absl::Status DirectoryCache::RefreshOnce() {
  auto held = Current();
  auto cached = redis_.Command({"HGET", options_.redis_key, "snapshot"});
  if (cached.ok() && cached->type == RedisReply::Type::kString) {
    lv1::SignedDirectory s;
    if (s.ParseFromString(cached->str) && (held == nullptr || s.version() > held->version())) {
      if (auto st = Install(s, /*from_redis=*/true); !st.ok()) {
        spdlog::warn("directory snapshot in Redis refused: {}", st.message());
      }
      held = Current();
    }
  }
  if (stub_ == nullptr) return absl::OkStatus();
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() +
                   absl::ToChronoMilliseconds(options_.call_deadline));
  lv1::GetDirectorySnapshotRequest req;
  req.set_known_version(held == nullptr ? 0 : held->version());
  lv1::GetDirectorySnapshotResponse resp;
  auto st = stub_->GetDirectorySnapshot(&ctx, req, &resp);
  if (!st.ok()) {
    return absl::UnavailableError(
        absl::StrCat("liaison at ", options_.liaison_address, ": ", st.error_message()));
  }
  if (resp.not_modified()) return absl::OkStatus();
  return Install(resp.snapshot(), /*from_redis=*/false);
}

absl::Status DirectoryCache::CheckSender(const lv1::Envelope& e, const std::string& receiver) {
  auto view = Current();
  auto check = [&] {
    return view == nullptr ? DirectoryView::SenderCheck::kUnknownKey
                           : view->CheckSender(e, receiver);
  };
  auto result = check();
  if (result == DirectoryView::SenderCheck::kUnknownKey ||
      result == DirectoryView::SenderCheck::kNotAllowed) {
    // Maybe newer than our snapshot: refresh once (rate-limited), then decide.
    std::unique_lock lock(refresh_mu_, std::try_to_lock);
    if (!lock.owns_lock()) {
      return absl::UnavailableError("the exchange directory is being refreshed; try again");
    }
    view = Current();
    result = check();
    if (result == DirectoryView::SenderCheck::kUnknownKey ||
        result == DirectoryView::SenderCheck::kNotAllowed) {
      if (absl::Now() - last_forced_ < absl::Seconds(1)) {
        // Refreshed less than a second ago: maybe just before the change. Not a refusal yet.
        return absl::UnavailableError("the exchange directory is being refreshed; try again");
      }
      last_forced_ = absl::Now();
      if (auto st = RefreshOnce(); !st.ok()) {
        return absl::UnavailableError(
            absl::StrCat("the exchange directory cannot be checked now: ", st.message()));
      }
      view = Current();
      result = check();
    }
  }
  if (view == nullptr) return absl::UnavailableError("no exchange directory yet");
  switch (result) {
    case DirectoryView::SenderCheck::kOk:
      return absl::OkStatus();
    case DirectoryView::SenderCheck::kUnknownKey:
      return absl::UnauthenticatedError(absl::StrCat("the directory (version ", view->version(),
                                                     ") has no key ", e.signing_key_id(), " of ",
                                                     e.sender_agency_code()));
    case DirectoryView::SenderCheck::kBadSignature:
      return absl::UnauthenticatedError(
          absl::StrCat("the signature is not ", e.sender_agency_code(), "'s key ",
                       e.signing_key_id(), " valid at the envelope's create_time"));
    case DirectoryView::SenderCheck::kNotAllowed:
      return absl::PermissionDeniedError(absl::StrCat(
          e.sender_agency_code(), " may not send this type to ", e.receiver_agency_code()));
  }
  return absl::InternalError("unreachable");
}

}  // namespace localgov
