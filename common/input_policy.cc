#include "common/input_policy.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "unicode/normalizer2.h"
#include "unicode/unistr.h"
#include "unicode/utf8.h"

namespace localgov {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The kinds of text, with their limits in characters. One table: docs/api.md lists it.
constexpr TextRule kCode{"code", 64, false};
constexpr TextRule kId{"id", 128, false};
constexpr TextRule kToken{"token", 2048, false};
constexpr TextRule kDate{"date", 64, false};
constexpr TextRule kHash{"hash", 128, false};
constexpr TextRule kUri{"uri", 2048, false};
constexpr TextRule kName{"name", 256, false};
constexpr TextRule kAddress{"address", 512, false};
constexpr TextRule kShort{"short", 128, false};
constexpr TextRule kReason{"reason", 4000, true};
constexpr TextRule kSource{"citation", 2000, true};
constexpr TextRule kText{"text", 1024, false};

// Field names whose kind the suffix rules below would not give.
constexpr std::pair<std::string_view, const TextRule*> kByName[] = {
    {"agency", &kCode},
    {"query", &kName},
    {"phone", &kShort},
    {"email", &kName},
    {"payment_reference", &kShort},
    {"reference", &kName},
    {"receiver_reference", &kName},
    {"source", &kSource},
    {"legal_basis", &kSource},
    {"summary", &kSource},
    {"error", &kReason},
    {"etag", &kShort},
    {"version", &kShort},
    {"second_factor", &kShort},
    {"field", &kShort},
    {"actor", &kName},
    {"role", &kShort},
    {"service", &kShort},
    {"group", &kShort},
    {"content_type", &kName},
    {"media_type", &kName},
    {"missing_documents", &kName},
    {"redirect_chain", &kCode},
    {"chain", &kCode},
    {"key_id", &kId},
    {"signing_key_id", &kId},
    {"sha256", &kHash},
    {"digest", &kHash},
    {"in_reply_to", &kId},
    {"as_of", &kDate},
    {"on_date", &kDate},
    {"due_before", &kDate},
    {"minutes", &kReason},
    {"participants", &kName},
    {"publication", &kReason},
    {"awaiting", &kReason},
    {"excuse", &kReason},
    {"answer", &kReason},
    {"title", &kSource},
    {"follow_secret", &kShort},
    {"officer", &kName},
    {"description", &kReason},
    {"decision_number", &kShort},
    {"decided_by", &kName},
    {"recorded_by", &kName},
    {"reader", &kName},
    {"basis", &kSource},
    {"rule_set", &kSource},
};

// Suffix rules, first match wins.
constexpr std::pair<std::string_view, const TextRule*> kBySuffix[] = {
    {"_codes", &kCode},
    {"code", &kCode},
    {"_ids", &kId},
    {"_id", &kId},
    {"id", &kId},
    {"_token", &kToken},
    {"_date", &kDate},
    {"date", &kDate},
    {"valid_from", &kDate},
    {"valid_until", &kDate},
    {"effective_from", &kDate},
    {"_sha256", &kHash},
    {"_uri", &kUri},
    {"_endpoint", &kUri},
    {"name", &kName},
    {"address", &kAddress},
    {"reasons", &kReason},
    {"reason", &kReason},
    {"note", &kReason},
    {"comment", &kReason},
    {"problem", &kReason},
    {"content", &kReason},
};

// Bytes fields: the largest size in bytes. Envelope payloads are references and small
// documents (Exchange::kMaxPayloadBytes); keys and signatures are short.
size_t MaxBytes(std::string_view name) {
  if (name == "payload") return size_t{1} << 20;
  if (name == "public_key" || name == "signature") return 512;
  return size_t{64} << 10;
}

// Integer fields that have an upper bound besides being non-negative.
int64_t MaxInteger(std::string_view name) {
  // Sanity bounds only: each RPC checks its own, tighter limits (and reports them together
  // with its other checks).
  if (name == "page_size") return 10'000;
  if (name == "year") return 2200;                    // the calendar derives years to 2200
  if (name == "size_bytes") return int64_t{1} << 40;  // 1 TiB: larger is not a document
  if (name == "amount_vnd") return 1'000'000'000'000;
  if (name == "amount") return 100'000;
  if (name == "step_index" || name == "index" || name == "order") return kMaxRepeated;
  return std::numeric_limits<int64_t>::max();
}

bool IsControl(UChar32 c, bool multiline) {
  if (multiline && (c == '\n' || c == '\r' || c == '\t')) return false;
  return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

std::string Path(const std::string& prefix, const FieldDescriptor* f, int index) {
  std::string p = prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
  if (index >= 0) absl::StrAppend(&p, "[", index, "]");
  return p;
}

void Walk(Message& m, const std::string& prefix, bool normalize, Validator& v, int depth);

void CheckTimestamp(const Message& m, const std::string& path, Validator& v) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  const int64_t seconds = r->GetInt64(m, d->FindFieldByName("seconds"));
  const int32_t nanos = r->GetInt32(m, d->FindFieldByName("nanos"));
  v.Check(nanos >= 0 && nanos <= 999'999'999, path, "nanos must be in [0, 999999999]");
  v.Check(
      seconds >= absl::ToUnixSeconds(kEarliestTime) && seconds < absl::ToUnixSeconds(kLatestTime),
      path, "must lie between 1970-01-01 and 2100-01-01 (UTC)");
}

void CheckString(Message& m, const FieldDescriptor* f, int index, const std::string& path,
                 bool normalize, Validator& v) {
  const Reflection* r = m.GetReflection();
  std::string scratch;
  const std::string& value = index < 0 ? r->GetStringReference(m, f, &scratch)
                                       : r->GetRepeatedStringReference(m, f, index, &scratch);
  if (f->type() == FieldDescriptor::TYPE_BYTES) {
    const size_t max = MaxBytes(f->name());
    v.Check(value.size() <= max, path,
            absl::StrCat("at most ", max, " bytes (got ", value.size(), ")"));
    return;
  }
  std::string nfc;
  const std::string why = TextViolation(value, TextRuleFor(f->name()), normalize ? &nfc : nullptr);
  if (!why.empty()) {
    v.Add(path, why);
    return;
  }
  if (!nfc.empty()) {
    if (index < 0) {
      r->SetString(&m, f, std::move(nfc));
    } else {
      r->SetRepeatedString(&m, f, index, std::move(nfc));
    }
  }
}

void CheckEnum(const Message& m, const FieldDescriptor* f, int index, const std::string& path,
               Validator& v) {
  const Reflection* r = m.GetReflection();
  const int value = index < 0 ? r->GetEnumValue(m, f) : r->GetRepeatedEnumValue(m, f, index);
  v.Check(f->enum_type()->FindValueByNumber(value) != nullptr, path,
          absl::StrCat("not a value of ", f->enum_type()->name(), " (got ", value, ")"));
}

void CheckInteger(const Message& m, const FieldDescriptor* f, int index, const std::string& path,
                  Validator& v) {
  const Reflection* r = m.GetReflection();
  int64_t value = 0;
  bool too_large = false;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      value = index < 0 ? r->GetInt32(m, f) : r->GetRepeatedInt32(m, f, index);
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      value = index < 0 ? r->GetInt64(m, f) : r->GetRepeatedInt64(m, f, index);
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      value = index < 0 ? r->GetUInt32(m, f) : r->GetRepeatedUInt32(m, f, index);
      break;
    case FieldDescriptor::CPPTYPE_UINT64: {
      const uint64_t u = index < 0 ? r->GetUInt64(m, f) : r->GetRepeatedUInt64(m, f, index);
      too_large = u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
      value = too_large ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(u);
      break;
    }
    default:
      return;
  }
  const int64_t max = MaxInteger(f->name());
  if (value < 0) {
    v.Add(path, "must not be negative");
  } else if (too_large || value > max) {
    v.Add(path, absl::StrCat("at most ", max));
  }
}

void CheckValue(Message& m, const FieldDescriptor* f, int index, const std::string& prefix,
                bool normalize, Validator& v, int depth) {
  const std::string path = Path(prefix, f, index);
  const Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      CheckString(m, f, index, path, normalize, v);
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      // A peer's signed message may carry a value a newer peer knows: its handler decides
      // (an unknown envelope type is REFUSED by a receiver, refused by Send).
      if (normalize) CheckEnum(m, f, index, path, v);
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      Message* child =
          index < 0 ? r->MutableMessage(&m, f) : r->MutableRepeatedMessage(&m, f, index);
      Walk(*child, path, normalize, v, depth + 1);
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      const double d = f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE
                           ? (index < 0 ? r->GetDouble(m, f) : r->GetRepeatedDouble(m, f, index))
                           : (index < 0 ? r->GetFloat(m, f) : r->GetRepeatedFloat(m, f, index));
      v.Check(d == d && d >= 0 && d <= 1e15, path, "must be a finite, non-negative number");
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      break;
    default:
      CheckInteger(m, f, index, path, v);
  }
}

void Walk(Message& m, const std::string& prefix, bool normalize, Validator& v, int depth) {
  const std::string& type = m.GetDescriptor()->full_name();
  if (type == "google.protobuf.Timestamp") {
    CheckTimestamp(m, prefix, v);
    return;
  }
  if (depth > 32) {
    v.Add(prefix, "nested too deeply");
    return;
  }
  std::vector<const FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (!f->is_repeated()) {
      CheckValue(m, f, -1, prefix, normalize, v, depth);
      continue;
    }
    const int n = m.GetReflection()->FieldSize(m, f);
    if (n > kMaxRepeated) {
      v.Add(Path(prefix, f, -1), absl::StrCat("at most ", kMaxRepeated, " items (got ", n, ")"));
      continue;
    }
    for (int i = 0; i < n; ++i) CheckValue(m, f, i, prefix, normalize, v, depth);
  }
}

}  // namespace

TextRule TextRuleFor(std::string_view field_name) {
  for (const auto& [name, rule] : kByName) {
    if (name == field_name) return *rule;
  }
  for (const auto& [suffix, rule] : kBySuffix) {
    if (field_name.ends_with(suffix)) return *rule;
  }
  return kText;
}

std::string TextViolation(std::string_view text, const TextRule& rule, std::string* nfc) {
  if (nfc != nullptr) nfc->clear();
  size_t chars = 0;
  // Below U+0300 (the combining marks) every text is already NFC: most values (codes, ids,
  // numbers, ASCII) skip ICU and its copies entirely.
  bool may_need_nfc = false;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(std::min<size_t>(text.size(), INT32_MAX));
  if (text.size() > static_cast<size_t>(length)) return "too long";
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return "must be valid UTF-8";
    if (IsControl(c, rule.multiline)) {
      return absl::StrCat("must not contain control characters",
                          rule.multiline ? " other than line breaks and tabs" : "",
                          " (found one at character ", chars + 1, ")");
    }
    may_need_nfc = may_need_nfc || c >= 0x300;
    ++chars;
  }
  if (nfc != nullptr && may_need_nfc) {
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(err);
    if (U_SUCCESS(err)) {
      const auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), length));
      if (!n->isNormalized(u, err) && U_SUCCESS(err)) {
        const icu::UnicodeString normalized = n->normalize(u, err);
        if (U_SUCCESS(err)) {
          normalized.toUTF8String(*nfc);
          chars = static_cast<size_t>(normalized.countChar32());
        }
      }
    }
  }
  if (chars > rule.max_chars) {
    return absl::StrCat("at most ", rule.max_chars, " characters (got ", chars, ")");
  }
  return "";
}

void ApplyInputPolicy(google::protobuf::Message& message, bool normalize, Validator& v) {
  Walk(message, "", normalize, v, 0);
}

absl::Status CheckInputPolicy(google::protobuf::Message& message, bool normalize) {
  Validator v;
  ApplyInputPolicy(message, normalize, v);
  return v.status();
}

std::string QuotePrefix(std::string_view value, size_t max_chars) {
  const auto* s = reinterpret_cast<const uint8_t*>(value.data());
  const int32_t length = static_cast<int32_t>(std::min<size_t>(value.size(), INT32_MAX));
  std::string out;
  size_t chars = 0;
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (chars == max_chars) return out + "…";
    if (c < 0 || c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
      out += "?";  // never a control character or a broken sequence in a message
    } else {
      out.append(value.substr(start, i - start));
    }
    ++chars;
  }
  return out;
}

}  // namespace localgov
