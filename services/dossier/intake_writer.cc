#include "services/dossier/intake_writer.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "common/db/transaction.h"
#include "common/logging.h"
#include "services/dossier/dossier_store.h"
#include "services/dossier/intake.h"

namespace localgov::dossier {
namespace {

bool SameKey(const IdempotencyKey& a, const IdempotencyKey& b) {
  return a.subject == b.subject && a.method == b.method && a.request_id == b.request_id;
}

}  // namespace

absl::StatusOr<IntakeWriter::Written> IntakeWriter::Write(const Intake& intake) {
  Pending me;
  me.intake = &intake;
  std::unique_lock lock(mu_);
  queue_.push_back(&me);
  while (!me.done) {
    if (writing_) {
      me.wake.wait(lock);
      continue;
    }
    // Lead: take what is queued, oldest first. A retry of a request already in the group
    // waits for the next one (it then finds the first one's dossier).
    writing_ = true;
    std::vector<Pending*> group;
    for (auto it = queue_.begin();
         it != queue_.end() && static_cast<int>(group.size()) < max_batch_;) {
      const bool repeated = std::any_of(group.begin(), group.end(), [&](const Pending* p) {
        return SameKey(p->intake->key, (*it)->intake->key);
      });
      if (repeated) {
        ++it;
        continue;
      }
      group.push_back(*it);
      it = queue_.erase(it);
    }
    lock.unlock();
    WriteGroup(group);
    if (on_group_) on_group_(group.size());
    lock.lock();
    // Wake those written, and the oldest still queued to lead the next group.
    for (Pending* p : group) {
      p->done = true;
      p->wake.notify_one();
    }
    writing_ = false;
    if (!queue_.empty()) queue_.front()->wake.notify_one();
  }
  return std::move(me.result);
}

void IntakeWriter::WriteGroup(const std::vector<Pending*>& group) {
  const absl::Status st = TryWriteGroup(group);
  if (st.ok()) return;
  if (group.size() == 1 || st.code() == absl::StatusCode::kUnavailable) {
    for (Pending* p : group) p->result = st;
    return;
  }
  spdlog::warn("intake group of {} failed ({}); writing its intakes one by one", group.size(),
               absl::StatusCodeToString(st.code()));
  for (Pending* p : group) {
    const absl::Status alone = TryWriteGroup({p});
    if (!alone.ok()) p->result = alone;
  }
}

absl::Status IntakeWriter::TryWriteGroup(const std::vector<Pending*>& group) {
  std::vector<absl::StatusOr<Written>> results;
  std::vector<int64_t> changes;
  const absl::Status st = RunInTransaction(db_, "receive_dossiers", [&](pqxx::work& tx) {
    results.assign(group.size(), absl::UnknownError("not written"));
    std::vector<IdempotencyKey> keys;
    keys.reserve(group.size());
    for (const Pending* p : group) keys.push_back(p->intake->key);
    const std::vector<bool> claimed = ClaimNewIdempotencyKeys(tx, keys);

    // Requests seen before get what they got then (or why not); the rest are new.
    std::vector<size_t> fresh;
    for (size_t i = 0; i < group.size(); ++i) {
      if (claimed[i]) {
        fresh.push_back(i);
        continue;
      }
      auto previous = StoredResponse(tx, keys[i]);
      if (!previous.ok()) {
        results[i] = previous.status();
        continue;
      }
      auto found = DossierStore::Find(tx, *previous);
      if (!found.has_value()) return absl::InternalError("idempotent intake lost its dossier");
      results[i] = Written{std::move(*found), 0};
    }
    if (fresh.empty()) return absl::OkStatus();

    // Codes: one block per (agency, day), handed out in arrival order.
    std::vector<DossierStore::CodeBlock> blocks;
    std::vector<size_t> block_of(group.size());
    for (size_t i : fresh) {
      const Intake& in = *group[i]->intake;
      const std::string& agency = in.dossier.receiving_agency_code();
      auto it = std::find_if(blocks.begin(), blocks.end(),
                             [&](const auto& b) { return b.agency == agency && b.day == in.day; });
      if (it == blocks.end()) it = blocks.insert(blocks.end(), {agency, in.day, 0, 0});
      ++it->count;
      block_of[i] = static_cast<size_t>(it - blocks.begin());
    }
    DossierStore::ReserveCodes(tx, blocks);
    std::vector<int> next(blocks.size());
    for (size_t b = 0; b < blocks.size(); ++b) next[b] = blocks[b].last - blocks[b].count + 1;

    std::vector<v1::Dossier> dossiers;
    dossiers.reserve(fresh.size());
    std::vector<const v1::Dossier*> rows;
    std::vector<IdempotencyKey> fresh_keys;
    std::vector<std::string> codes;
    std::vector<AuditEntry> audits;
    absl::Time now = absl::InfinitePast();
    for (size_t i : fresh) {
      const Intake& in = *group[i]->intake;
      const int sequence = next[block_of[i]]++;
      // Once per agency and day: the sequence passes 10000 exactly once (codes are reserved in
      // order), and every later intake that day would only repeat it.
      if (sequence == 10000) {
        spdlog::warn("agency {} passed 9999 dossiers on {}", in.dossier.receiving_agency_code(),
                     absl::FormatCivilTime(in.day));
      }
      v1::Dossier& d = dossiers.emplace_back(in.dossier);
      d.set_code(DossierCode(d.receiving_agency_code(), in.day, sequence));
      rows.push_back(&d);
      fresh_keys.push_back(keys[i]);
      codes.push_back(d.code());
      audits.push_back(in.audit);
      audits.back().entity_id = d.code();
      now = std::max(now, in.now);
    }
    DossierStore::InsertAll(tx, rows, now);
    if (on_written_) {
      for (size_t f = 0; f < fresh.size(); ++f) {
        on_written_(tx, dossiers[f], group[fresh[f]]->intake->now);
      }
    }
    StoreIdempotentResponses(tx, fresh_keys, codes);
    // Last, the two service-wide serial points (the feed counter, then the audit chain): held
    // from here to the commit, so nothing else comes after them.
    std::vector<DossierStore::NewEvent> events;
    for (size_t f = 0; f < fresh.size(); ++f) {
      events.push_back({&dossiers[f], &dossiers[f].events(0), group[fresh[f]]->intake->trace_id});
    }
    changes = DossierStore::AppendEvents(tx, events);
    for (size_t f = 0; f < fresh.size(); ++f) {
      results[fresh[f]] = Written{std::move(dossiers[f]), changes[f]};
    }
    return AppendAudits(tx, audits, now);
  });
  if (!st.ok()) return st;
  for (size_t i = 0; i < group.size(); ++i) group[i]->result = std::move(results[i]);
  return absl::OkStatus();
}

}  // namespace localgov::dossier
