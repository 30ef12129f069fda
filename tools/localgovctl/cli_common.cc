#include "tools/localgovctl/cli_common.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/status.h"
#include "google/protobuf/util/json_util.h"

namespace localgovctl {

const std::vector<Target>& Targets() {
  static const std::vector<Target> kTargets = {
      {"dossier", "LOCALGOV_DOSSIER_ADDR", 50051, "localgov.dossier.v1.DossierService"},
      {"petition", "LOCALGOV_PETITION_ADDR", 50052, "localgov.petition.v1.PetitionService"},
      {"cadre", "LOCALGOV_CADRE_ADDR", 50053, "localgov.cadre.v1.CadreService"},
      {"liaison", "LOCALGOV_LIAISON_ADDR", 50054, "localgov.liaison.v1.LiaisonService"},
  };
  return kTargets;
}

std::string Address(const Target& t) {
  const char* env = std::getenv(t.env.c_str());
  return env != nullptr && *env != '\0' ? env : absl::StrCat("127.0.0.1:", t.default_port);
}

std::shared_ptr<grpc::Channel> Channel(const Target& t) {
  return grpc::CreateChannel(Address(t), grpc::InsecureChannelCredentials());
}

const Target* FindTarget(const std::string& name) {
  for (const auto& t : Targets()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

int SaveFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::cerr << "cannot write " << path << "\n";
    return 2;
  }
  std::cout << "wrote " << path << " (" << bytes.size() << " bytes)\n";
  return 0;
}

std::string DefaultKeyFile() {
  const char* env = std::getenv("LOCALGOV_DEV_KEY_FILE");
  return env != nullptr ? env : ".local/keys/issuer.key";
}

std::string DevToken(const TokenOptions& o, Role role, const std::string& agency,
                     const std::string& subject, const std::string& office) {
  const std::string key = ReadFile(o.key_file);
  if (key.empty()) {
    std::cerr << "localgovctl: cannot read the issuer key " << o.key_file
              << " (set --key or LOCALGOV_DEV_KEY_FILE; scripts/up.sh creates one)\n";
    std::exit(2);
  }
  localgov::TokenClaims claims;
  claims.issuer = o.issuer;
  claims.audience = o.audience;
  claims.subject = subject;
  claims.role = role;
  claims.agency = role == Role::kCitizen ? "" : agency;
  claims.office = role == Role::kCitizen ? "" : office;
  auto token = localgov::MintToken(key, claims, localgov::SystemClock::Get());
  if (!token.ok()) {
    std::cerr << "localgovctl: " << token.status().message() << "\n";
    std::exit(2);
  }
  return *token;
}

std::string Bearer(const TokenOptions& token, Role role) {
  return "Bearer " + DevToken(token, role, "000.00.00.H99", "localgovctl");
}

namespace {
std::string g_output;    // --output: "" (each command's usual), table or json
int g_refused_exit = 0;  // ExitCodeOf the last refused call
}  // namespace

bool JsonOutput() { return g_output == "json"; }

bool TableOutput() { return g_output == "table"; }

bool CsvOutput() { return g_output == "csv"; }

std::string CsvRow(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char ch : f) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += '"';
  }
  return out + "\r\n";
}

bool PrintJsonIfAsked(const google::protobuf::Message& m) {
  if (!JsonOutput()) return false;
  std::cout << Json(m) << "\n";
  return true;
}

int ExitCodeOf(grpc::StatusCode code) { return code == grpc::OK ? 0 : 10 + static_cast<int>(code); }

Progress::Progress(std::string what, int64_t total)
    : what_(std::move(what)), total_(total), tty_(isatty(STDERR_FILENO) != 0) {}

void Progress::Step(int64_t n) {
  done_ += n;
  if (total_ <= 0) return;
  const int64_t decile = std::min<int64_t>(done_ * 10 / total_, 10);
  if (tty_) {
    std::cerr << "\r" << what_ << ": " << done_ << "/" << total_ << std::flush;
  } else if (decile != last_decile_) {
    std::cerr << what_ << ": " << done_ << "/" << total_ << "\n";
  }
  last_decile_ = decile;
}

void Progress::Done() {
  if (tty_ && total_ > 0) std::cerr << "\n";
}

int PrintError(const std::string& what, const grpc::Status& st) {
  g_refused_exit = ExitCodeOf(st.error_code());
  std::cerr << what << ": " << st.error_code() << " " << st.error_message() << "\n";
  for (const auto& v : localgov::FieldViolationsOf(localgov::FromGrpcStatus(st))) {
    std::cerr << "  " << v.field << ": " << v.description << "\n";
  }
  return 1;
}

std::string Json(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions o;
  o.add_whitespace = true;
  o.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, o);
  return out;
}

std::string Short(const std::string& enum_name, const std::string& prefix) {
  return enum_name.rfind(prefix, 0) == 0 ? enum_name.substr(prefix.size()) : enum_name;
}

std::optional<lv1::EnvelopeType> ParseEnvelopeType(const std::string& name) {
  lv1::EnvelopeType t;
  std::string upper = "ENVELOPE_TYPE_" + name;
  for (auto& c : upper) c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
  if (!lv1::EnvelopeType_Parse(upper, &t) || t == lv1::ENVELOPE_TYPE_UNSPECIFIED) {
    std::cerr << "localgovctl: type is step-handoff, step-result, petition-referral, "
                 "referral-result, official-document or step-cancellation\n";
    return std::nullopt;
  }
  return t;
}

void Shared::AddGlobalOptions(CLI::App& app) {
  app.add_option("--key", token_.key_file, "issuer private key (local profile)")
      ->envname("LOCALGOV_DEV_KEY_FILE");
  app.add_option("--issuer", token_.issuer, "token issuer")->envname("LOCALGOV_AUTH_ISSUER");
  app.add_option("--audience", token_.audience, "token audience")
      ->envname("LOCALGOV_AUTH_AUDIENCE");
  app.add_option("-o,--output", g_output,
                 "table (default), json (the response as JSON) or csv (reports: statistics, "
                 "worklists)")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->envname("LOCALGOV_OUTPUT");
  app.fallthrough();  // the global options after a subcommand too
}

void Shared::OnJsonOutput(std::function<void()> hook) { json_hooks_.push_back(std::move(hook)); }

void Shared::On(CLI::App* sub, std::function<int()> command) {
  commands_.emplace_back(sub, std::move(command));
}

int Shared::Run() const {
  for (const auto& [sub, command] : commands_) {
    if (!sub->parsed()) continue;
    if (JsonOutput()) {
      for (const auto& hook : json_hooks_) hook();
    }
    const int rc = command();
    return rc == 1 && g_refused_exit != 0 ? g_refused_exit : rc;
  }
  return 2;
}

}  // namespace localgovctl
