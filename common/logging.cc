#include "common/logging.h"

#include <cctype>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/support/log.h"
#include "nlohmann/json.hpp"
#include "spdlog/formatter.h"
#include "spdlog/sinks/stdout_sinks.h"

namespace localgov {
namespace {

// A thread's own copy, destroyed when that thread ends, never under another thread: the one
// exit-time destructor the rule in cmake/Localgov.cmake (localgov_service_code) lets through.
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wexit-time-destructors"
#endif
thread_local std::string tls_request_id;
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
         c == '=' || c == '+' || c == '/';
}

class JsonFormatter final : public spdlog::formatter {
 public:
  explicit JsonFormatter(std::string service) : service_(std::move(service)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    nlohmann::json line;
    const auto t = absl::FromChrono(msg.time);
    line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
    const auto level = spdlog::level::to_string_view(msg.level);
    line["level"] = std::string(level.data(), level.size());
    line["service"] = service_;
    if (!tls_request_id.empty()) line["request_id"] = tls_request_id;
    line["msg"] = Redact(std::string_view(msg.payload.data(), msg.payload.size()));
    const std::string text =
        line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    dest.append(text.data(), text.data() + text.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>(service_);
  }

 private:
  std::string service_;
};

// The logger gRPC's and protobuf's own lines go to: never destroyed, since gRPC's threads may
// still log while the process exits, after spdlog's registry is gone.
std::shared_ptr<spdlog::logger>* library_logger = nullptr;

void LibraryLog(spdlog::level::level_enum level, const std::string& text) {
  if (library_logger != nullptr && *library_logger) (*library_logger)->log(level, text);
}

void ProtobufLog(google::protobuf::LogLevel level, const char* file, int line,
                 const std::string& message) {
  const auto spd = level >= google::protobuf::LOGLEVEL_ERROR     ? spdlog::level::err
                   : level == google::protobuf::LOGLEVEL_WARNING ? spdlog::level::warn
                                                                 : spdlog::level::info;
  LibraryLog(spd, fmt::format("protobuf {}:{}: {}", file != nullptr ? file : "", line, message));
}

void GrpcLog(gpr_log_func_args* args) {
  const auto spd = args->severity == GPR_LOG_SEVERITY_ERROR  ? spdlog::level::err
                   : args->severity == GPR_LOG_SEVERITY_INFO ? spdlog::level::info
                                                             : spdlog::level::debug;
  LibraryLog(spd, fmt::format("grpc {}:{}: {}", args->file != nullptr ? args->file : "", args->line,
                              args->message != nullptr ? args->message : ""));
}

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

}  // namespace

std::string DbErrorText(std::string_view what) {
  std::string_view first = what.substr(0, what.find('\n'));
  std::string out;
  size_t i = 0;
  while (i < first.size()) {
    if (first[i] != '"') {
      out.push_back(first[i++]);
      continue;
    }
    const size_t end = first.find('"', i + 1);
    if (end == std::string_view::npos) {
      out += "\"[value]";
      break;
    }
    const std::string_view inner = first.substr(i + 1, end - i - 1);
    // An identifier starts with a letter or an underscore: a run of digits is a value (an ID).
    bool identifier = !inner.empty() && inner.size() <= 63 &&
                      !std::isdigit(static_cast<unsigned char>(inner.front()));
    for (char c : inner) identifier = identifier && IsIdentifierChar(c);
    out += identifier ? "\"" + std::string(inner) + "\"" : std::string("\"[value]\"");
    i = end + 1;
  }
  return out;
}

std::string Redact(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    // "Bearer <token>" in any case.
    if (text.size() - i > 7 && (text[i] == 'B' || text[i] == 'b') &&
        (i == 0 || !IsTokenChar(text[i - 1]))) {
      std::string word(text.substr(i, 7));
      for (auto& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (word == "bearer ") {
        size_t j = i + 7;
        while (j < text.size() && text[j] == ' ') ++j;
        size_t k = j;
        while (k < text.size() && IsTokenChar(text[k])) ++k;
        if (k > j) {
          out += "Bearer [token]";
          i = k;
          continue;
        }
      }
    }
    // A JWT: base64url JSON header, always starting "eyJ".
    if (text.substr(i, 3) == "eyJ" && (i == 0 || !IsTokenChar(text[i - 1]))) {
      size_t k = i;
      while (k < text.size() && IsTokenChar(text[k])) ++k;
      out += "[token]";
      i = k;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(text[i])) &&
        (i == 0 || !std::isdigit(static_cast<unsigned char>(text[i - 1])))) {
      size_t k = i;
      while (k < text.size() && std::isdigit(static_cast<unsigned char>(text[k]))) ++k;
      const size_t run = k - i;
      if (run >= 9 && run <= 12) {
        out += "[id]";
      } else {
        out.append(text.substr(i, run));
      }
      i = k;
      continue;
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

void InitLogging(std::string_view service, std::string_view level) {
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(std::string(service), sink);
  logger->set_formatter(std::make_unique<JsonFormatter>(std::string(service)));
  logger->set_level(spdlog::level::from_str(std::string(level)));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  if (library_logger == nullptr) library_logger = new std::shared_ptr<spdlog::logger>();
  *library_logger = logger;
  google::protobuf::SetLogHandler(&ProtobufLog);
  gpr_set_log_function(&GrpcLog);
}

ScopedRequestId::ScopedRequestId(std::string request_id)
    : previous_(std::exchange(tls_request_id, std::move(request_id))) {}

ScopedRequestId::~ScopedRequestId() { tls_request_id = std::move(previous_); }

const std::string& CurrentRequestId() { return tls_request_id; }

}  // namespace localgov
