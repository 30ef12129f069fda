#include "services/liaison/anchor_log.h"

#include <regex>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/db/transaction.h"
#include "common/page_token.h"
#include "common/status.h"
#include "nlohmann/json.hpp"
#include "services/liaison/anchor_store.h"

namespace localgov::liaison {
namespace {

constexpr std::string_view kTokenPrefix = "anchors:";

bool ValidHash(const std::string& hash) {
  static const std::regex& kHash = *new std::regex("[0-9a-f]{64}");
  return std::regex_match(hash, kHash);
}

}  // namespace

absl::StatusOr<AuditAnchors::Anchored> AnchorLog::Anchor(const std::string& chain,
                                                         const AuditHead& head) {
  Validator check;
  check.Check(ValidAuditChainName(chain), "chain", kAuditChainRule);
  check.Check(head.position > 0, "position", "at least 1");
  check.Check(ValidHash(head.hash), "hash", "64 lowercase hex digits (SHA-256)");
  if (!check.ok()) return check.status();
  Anchored out;
  auto st = RunInTransaction(db_, "anchor_audit_head", [&](pqxx::work& tx) -> absl::Status {
    ExchangeStore::LockLog(tx);  // one anchor of a position, however many replicas ask
    if (auto known = AnchorStore::Find(tx, chain, head.position); known.has_value()) {
      if (known->hash != head.hash) {
        return absl::FailedPreconditionError(absl::StrCat(
            "chain ", chain, " was anchored at position ", head.position, " with another hash (",
            "message log entry ", known->log_sequence, "): the chain was rewritten"));
      }
      out = {*known, false};
      return absl::OkStatus();
    }
    const nlohmann::json detail = {
        {"chain", chain}, {"position", head.position}, {"hash", head.hash}};
    const int64_t sequence = exchange_.Log(tx, "anchored", "", detail.dump());
    AnchorStore::Insert(tx, chain, head.position, head.hash, sequence);
    auto stored = AnchorStore::Find(tx, chain, head.position);
    out = {*stored, true};
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<AnchorLog::Page> AnchorLog::ListPage(const std::string& chain, int page_size,
                                                    const std::string& page_token) {
  Validator check;
  check.Check(ValidAuditChainName(chain), "chain", kAuditChainRule);
  check.Check(page_size >= 0 && page_size <= kMaxPage, "page_size", "0 (default 1000) to 10000");
  int64_t after = 0;
  if (!page_token.empty()) {
    auto body = DecodePageToken(page_token, kTokenPrefix);
    check.Check(body.has_value() && absl::SimpleAtoi(*body, &after) && after >= 0, "page_token",
                "a next_page_token of ListAuditAnchors");
  }
  if (!check.ok()) return check.status();
  const int limit = page_size == 0 ? kDefaultPage : page_size;
  Page page;
  auto st = RunInTransaction(
      db_, "list_audit_anchors",
      [&](pqxx::work& tx) {
        page.anchors = AnchorStore::List(tx, chain, after, limit + 1);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  if (static_cast<int>(page.anchors.size()) > limit) {
    page.anchors.resize(limit);
    page.next_page_token =
        EncodePageToken(kTokenPrefix, absl::StrCat(page.anchors.back().position));
  }
  return page;
}

absl::StatusOr<std::vector<AuditAnchor>> AnchorLog::List(const std::string& chain) {
  std::vector<AuditAnchor> out;
  std::string token;
  do {
    auto page = ListPage(chain, kMaxPage, token);
    if (!page.ok()) return page.status();
    for (auto& a : page->anchors) out.push_back(std::move(a));
    token = page->next_page_token;
  } while (!token.empty());
  return out;
}

}  // namespace localgov::liaison
