#include "services/liaison/delivery.h"

#include <latch>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "common/db/transaction.h"
#include "common/logging.h"
#include "common/outbox.h"
#include "common/server.h"
#include "common/set_aside.h"
#include "common/text.h"
#include "services/liaison/directory_store.h"
#include "spdlog/spdlog.h"

namespace localgov::liaison {
namespace {

// A receiver's text as we keep and log it: valid UTF-8, at most 2,000 bytes.
std::string Printable(std::string text) {
  if (!IsValidUtf8(text)) return absl::StrCat("(", text.size(), " bytes, not UTF-8)");
  constexpr size_t kMax = 2000;
  if (text.size() > kMax) {
    text.resize(kMax);
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) {
      text.pop_back();
    }
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
    text += "…";
  }
  return text;
}

// " (late: acknowledge by …)" when answered after the sender's deadline.
std::string Late(const StoredEnvelope& e, absl::Time now) {
  if (now <= e.acknowledge_by) return "";  // InfiniteFuture: no deadline
  return absl::StrCat(" (late: acknowledge by ",
                      absl::FormatTime(absl::RFC3339_sec, e.acknowledge_by, absl::UTCTimeZone()),
                      ")");
}

struct Call {
  StoredEnvelope envelope;
  grpc::ClientContext context;
  v1::DeliverRequest request;
  v1::DeliverResponse response;
  grpc::Status status;
  bool called = false;
  std::string error;        // set when no call could be made
  bool unreadable = false;  // the stored envelope cannot be read: set aside, never sent
};

// One envelope's outcome and the log entries it adds.
struct Recorded {
  ExchangeStore::Outcome outcome;
  std::vector<LogEntry> log;
};

}  // namespace

DeliveryWorker::DeliveryWorker(PgPool& db, const Clock& clock, Exchange& exchange,
                               std::map<std::string, std::string> service_addrs, Options options,
                               prometheus::Registry* registry)
    : db_(db),
      clock_(clock),
      exchange_(exchange),
      service_addrs_(std::move(service_addrs)),
      options_(options) {
  if (registry != nullptr) {
    envelopes_ = &prometheus::BuildGauge()
                      .Name("localgov_envelopes")
                      .Help("Envelopes waiting for delivery (pending) and dead letters")
                      .Labels({{"service", "liaison"}})
                      .Register(*registry);
    // Each built in full: the deploy checks find exported metrics by their Name("…") call.
    dead_ = &prometheus::BuildGauge()
                 .Name("localgov_envelopes_dead_letters")
                 .Help("Envelopes not acknowledged within the maximum age (alert; Requeue)")
                 .Labels({{"service", "liaison"}})
                 .Register(*registry)
                 .Add({});
    oldest_ = &prometheus::BuildGauge()
                   .Name("localgov_envelopes_oldest_pending_age_seconds")
                   .Help(
                       "Age of the oldest envelope not yet acknowledged or refused (Decree "
                       "63/2024: systems sync a step's status within 10 minutes)")
                   .Labels({{"service", "liaison"}})
                   .Register(*registry)
                   .Add({});
    overdue_ = &prometheus::BuildGauge()
                    .Name("localgov_envelopes_acknowledgement_overdue")
                    .Help(
                        "Envelopes still unanswered past the sender's deadline for an "
                        "acknowledgement (Decree 63/2024: 2 working hours)")
                    .Labels({{"service", "liaison"}})
                    .Register(*registry)
                    .Add({});
  }
}

DeliveryWorker::~DeliveryWorker() { Stop(); }

void DeliveryWorker::Start() {
  thread_.Start([this] { return Pass(); });
}

void DeliveryWorker::Stop() { thread_.Stop(); }

absl::Duration DeliveryWorker::Pass() {
  auto n = RunOnce();
  if (!n.ok()) spdlog::debug("delivery pass failed: {}", n.status().message());
  if (absl::Now() - last_gauges_ > absl::Seconds(5)) {
    UpdateGauges();
    last_gauges_ = absl::Now();
  }
  bool more_taken;
  {
    std::lock_guard lock(taken_mu_);
    more_taken = !taken_.empty();
  }
  // A full batch, or more handed over: go again at once; otherwise wait for the next poll.
  return more_taken || (n.ok() && *n >= options_.batch_size) ? absl::ZeroDuration()
                                                             : options_.poll_interval;
}

void DeliveryWorker::UpdateGauges() {
  if (envelopes_ == nullptr) return;
  ExchangeStore::DeliveryCounts counts;
  auto st = RunInTransaction(
      db_, "envelope_gauges",
      [&](pqxx::work& tx) -> absl::Status {
        counts = ExchangeStore::CountByState(tx);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true, .max_attempts = 1});
  if (!st.ok()) return;
  envelopes_->Add({{"state", "pending"}}).Set(static_cast<double>(counts.pending));
  envelopes_->Add({{"state", "dead_letter"}}).Set(static_cast<double>(counts.dead_letters));
  dead_->Set(static_cast<double>(counts.dead_letters));
  overdue_->Set(static_cast<double>(counts.overdue));
  oldest_->Set(static_cast<double>(counts.oldest_pending_seconds));
}

std::shared_ptr<grpc::Channel> DeliveryWorker::ChannelFor(const std::string& endpoint, int type) {
  std::string target = endpoint;
  if (endpoint.rfind("service:", 0) == 0) {
    // "service:dossier" and "service:petition" both mean "an agency this suite serves": the
    // envelope's type picks the service that takes it (a referral and its answer go to the
    // petition service whichever the agency's endpoint names, everything else to the dossier
    // service), so one registration serves both.
    const bool petition_type =
        type == v1::ENVELOPE_TYPE_PETITION_REFERRAL || type == v1::ENVELOPE_TYPE_REFERRAL_RESULT;
    auto it = service_addrs_.find(petition_type ? "petition" : "dossier");
    if (it == service_addrs_.end()) return nullptr;
    target = it->second;
  }
  std::lock_guard lock(channels_mu_);
  auto& ch = channels_[target];
  if (!ch) {
    ch = PeerChannel(target, options_.credentials);
  }
  return ch;
}

void DeliveryWorker::Take(std::vector<StoredEnvelope> leased) {
  {
    std::lock_guard lock(taken_mu_);
    for (auto& e : leased) taken_.push_back(std::move(e));
  }
  thread_.Wake();
}

absl::StatusOr<int> DeliveryWorker::RunOnce() {
  std::vector<StoredEnvelope> batch;
  {
    // First what the log writer leased for us; if it is lost (a crash), the lease expires and
    // any replica's claim finds it.
    std::lock_guard lock(taken_mu_);
    const size_t n = std::min(taken_.size(), static_cast<size_t>(options_.batch_size));
    batch.assign(std::make_move_iterator(taken_.begin()),
                 std::make_move_iterator(taken_.begin() + static_cast<std::ptrdiff_t>(n)));
    taken_.erase(taken_.begin(), taken_.begin() + static_cast<std::ptrdiff_t>(n));
  }
  absl::Status st;
  // Envelopes just logged were routed by Send against the newest directory; claimed ones
  // (retries, requeued dead letters) may predate a directory change.
  int64_t directory_version = 0;
  if (batch.empty()) {
    st = RunInTransaction(db_, "claim_envelopes", [&](pqxx::work& tx) -> absl::Status {
      batch = ExchangeStore::Claim(tx, options_.batch_size, options_.lease);
      if (!batch.empty()) directory_version = DirectoryStore::Version(tx);
      return absl::OkStatus();
    });
    if (!st.ok()) return st;
  }
  if (batch.empty()) return 0;
  auto undeliverable = exchange_.FollowMergers(directory_version, batch);
  if (!undeliverable.ok()) return undeliverable.status();  // leased: tried again after the lease

  // Every receiver of the batch at once.
  std::vector<std::unique_ptr<Call>> calls;
  std::latch done(static_cast<std::ptrdiff_t>(batch.size()));
  for (size_t i = 0; i < batch.size(); ++i) {
    auto c = std::make_unique<Call>();
    c->envelope = std::move(batch[i]);
    if (!c->envelope.unreadable.empty()) {
      c->error = c->envelope.unreadable;
      c->unreadable = true;
      done.count_down();
      calls.push_back(std::move(c));
      continue;
    }
    if (!(*undeliverable)[i].empty()) {
      c->error = std::move((*undeliverable)[i]);
      done.count_down();
      calls.push_back(std::move(c));
      continue;
    }
    auto channel = ChannelFor(c->envelope.endpoint, c->envelope.envelope.type());
    if (channel == nullptr) {
      c->error = absl::StrCat("no address for endpoint \"", c->envelope.endpoint, "\"");
      done.count_down();
      calls.push_back(std::move(c));
      continue;
    }
    *c->request.mutable_envelope() = c->envelope.envelope;
    c->request.set_delivered_to_agency_code(c->envelope.delivered_to);
    c->context.set_deadline(absl::ToChronoTime(absl::Now() + options_.call_deadline));
    c->called = true;
    auto stub = v1::ReceiverService::NewStub(channel);
    Call* raw = c.get();
    stub->async()->Deliver(&raw->context, &raw->request, &raw->response,
                           [raw, &done](grpc::Status s) {
                             raw->status = std::move(s);
                             done.count_down();
                           });
    calls.push_back(std::move(c));
  }
  done.wait();

  thread_local std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  int answered = 0;
  const absl::Time now = clock_.Now();
  std::vector<Recorded> recorded;
  std::vector<LogEntry> log;
  auto entry = [&](const char* event, const std::string& id, std::string detail) {
    LogEntry e;
    e.event = event;
    e.envelope_id = id;
    e.detail = std::move(detail);
    log.push_back(std::move(e));
  };
  for (const auto& c : calls) {
    log.clear();
    const auto& e = c->envelope;
    const std::string& id = e.envelope.id();
    const auto code = c->response.code();
    const bool answer = c->called && c->status.ok() && code != v1::ACK_CODE_UNSPECIFIED;
    std::string error = c->error;
    if (c->called && !c->status.ok()) {
      error = Printable(absl::StrCat(
          absl::StatusCodeToString(static_cast<absl::StatusCode>(c->status.error_code())), ": ",
          c->status.error_message()));
    } else if (c->called && !answer) {
      error = "the receiver answered without an acknowledgement code";
    }
    ExchangeStore::Outcome o;
    o.id = id;
    o.attempt = e.attempts + 1;
    o.ack_code = answer ? code : 0;
    o.error = error;
    o.receiver_ref = Printable(c->response.receiver_reference());
    if (c->unreadable) {
      o.state = v1::DELIVERY_STATE_DEAD_LETTER;
      o.reason = c->error;
      entry("set_aside", id, c->error);
      spdlog::error("envelope {} set aside: {}", id, c->error);
    } else if (answer && code == v1::ACK_CODE_REFUSED) {
      o.state = v1::DELIVERY_STATE_REFUSED;
      o.reason = Printable(c->response.reason());
      entry("refused", id, absl::StrCat(e.delivered_to, " refused: ", o.reason, Late(e, now)));
      ++answered;
    } else if (answer) {
      o.state = v1::DELIVERY_STATE_ACKNOWLEDGED;
      entry("acknowledged", id,
            absl::StrCat(e.delivered_to, " ", v1::AckCode_Name(code), " ref ", o.receiver_ref,
                         Late(e, now)));
      ++answered;
    } else if (now - e.accepted_at >= options_.max_age) {
      o.state = v1::DELIVERY_STATE_DEAD_LETTER;
      entry("dead_lettered", id,
            absl::StrCat("no acknowledgement from ", e.delivered_to, " after ", o.attempt,
                         " attempts: ", error));
      spdlog::warn("envelope {} dead-lettered after {} attempts", id, o.attempt);
    } else {
      o.state = v1::DELIVERY_STATE_PENDING;
      o.next_attempt_at =
          now + OutboxBackoff(o.attempt, options_.base_backoff, options_.max_backoff, jitter(rng));
    }
    recorded.push_back({std::move(o), log});
  }
  // Three statements whatever the batch: the outcomes, then the log (its lock is held from
  // there to the commit, so Send waits as little as possible).
  auto record = [&](absl::Span<Recorded> items) {
    return RunInTransaction(db_, "record_deliveries", [&](pqxx::work& tx) -> absl::Status {
      std::vector<ExchangeStore::Outcome> outcomes;
      std::vector<LogEntry> entries;
      for (const auto& r : items) {
        outcomes.push_back(r.outcome);
        entries.insert(entries.end(), r.log.begin(), r.log.end());
      }
      ExchangeStore::RecordOutcomes(tx, outcomes, now);
      exchange_.LogAll(tx, std::move(entries));
      return absl::OkStatus();
    });
  };
  // One envelope whose outcome cannot be recorded is set aside; the others' are recorded.
  auto done_count = ProcessOrSetAside<Recorded>(
      recorded, [&](std::vector<Recorded>& all) { return record(absl::MakeSpan(all)); },
      [&](Recorded& one) {
        auto st = record(absl::MakeSpan(&one, 1));
        if (st.ok()) failures_alone_.Forget(one.outcome.id);
        return st;
      },
      [&](Recorded& one, const absl::Status& why) {
        return exchange_.SetAside(
            one.outcome.id, absl::StrCat("its delivery could not be recorded: ", why.message()));
      },
      [&](Recorded& one) { return failures_alone_.Count(one.outcome.id); });
  if (!done_count.ok()) return done_count.status();
  return answered;
}

}  // namespace localgov::liaison
