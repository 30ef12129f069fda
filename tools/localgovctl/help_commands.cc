#include "tools/localgovctl/help_commands.h"

#include <iostream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"

namespace localgovctl {
namespace {

// One example per subcommand, by its path (with the demo stack of scripts/up.sh). A
// subcommand without one fails tests/e2e/cli_e2e.sh.
const std::map<std::string, std::string>& Examples() {
  static const std::map<std::string, std::string> kExamples = {
      {"health", "localgovctl health --output json"},
      {"audit verify", "localgovctl audit verify --service all"},
      {"audit anchor", "localgovctl audit anchor --service petition"},
      {"info", "localgovctl info --service dossier"},
      {"token keygen", "localgovctl token keygen --out-dir .local/keys"},
      {"token mint", "TOKEN=$(localgovctl token mint --role officer --agency 000.00.31.H41)"},
      {"directory create-agency",
       "localgovctl directory create-agency --code 000.00.40.H41 --name \"UBND xã Mới\" "
       "--kind commune --unit 22333"},
      {"directory get", "localgovctl directory get 000.00.31.H41"},
      {"directory list", "localgovctl directory list --kind commune"},
      {"directory show", "localgovctl directory show 000.00.31.H41"},
      {"directory resolve", "localgovctl directory resolve 000.00.21.H41"},
      {"directory units", "localgovctl directory units --history --parent 568"},
      {"directory unit", "localgovctl directory unit 22330"},
      {"directory snapshot",
       "localgovctl directory snapshot --trust-key \"$(localgovctl exchange public-key "
       ".local/keys/liaison-log.key)\""},
      {"directory admin", "localgovctl directory admin endpoint 000.00.32.H41 service:dossier"},
      {"calendar show", "localgovctl calendar show 2026"},
      {"calendar apply-notice", "localgovctl calendar apply-notice 2027.json --expected-version 0"},
      {"due", "localgovctl due --received \"2026-02-12 10:00\" --unit working-days --amount 5"},
      {"procedures search", "localgovctl procedures search khai sinh"},
      {"procedures show", "localgovctl procedures show LT-01"},
      {"dossier receive",
       "localgovctl dossier receive --procedure LT-01 --name \"Nguyễn Thị Hoa\" --citizen-id "
       "079203001234 --doc to-khai-lien-thong --doc giay-chung-sinh"},
      {"dossier show", "localgovctl dossier show 000.00.31.H41-261207-0001 --output json"},
      {"dossier print",
       "localgovctl dossier print 000.00.31.H41-261207-0001 --paper receipt -o giay-hen.pdf"},
      {"dossier act", "localgovctl dossier act 000.00.31.H41-261207-0001 --action start"},
      {"dossier list", "localgovctl dossier list --agency 000.00.31.H41 --due-within 3"},
      {"dossier watch", "localgovctl dossier watch --agency 000.00.31.H41 --count 5"},
      {"dossier rate",
       "localgovctl dossier rate 000.00.31.H41-261207-0001 --citizen-id 079203001234 --level "
       "satisfied"},
      {"stats", "localgovctl stats --agency 000.00.31.H41 --from 2026-01-01 --to 2026-06-30"},
      {"officers", "localgovctl officers --agency 000.00.31.H41 --year 2026"},
      {"exchange keygen", "localgovctl exchange keygen --key-id my-commune --out commune.key"},
      {"exchange public-key", "localgovctl exchange public-key .local/keys/liaison-log.key"},
      {"exchange send",
       "localgovctl exchange send --from 000.00.31.H41 --to 000.00.32.H41 --correlation "
       "000.00.31.H41-261207-0001 --key commune.key"},
      {"exchange serve-receiver",
       "localgovctl exchange serve-receiver --agency 000.00.10.G01 --listen 127.0.0.1:50061 "
       "--key .local/keys/police.key"},
      {"envelopes", "localgovctl envelopes list --state pending"},
      {"log", "localgovctl log verify"},
      {"petition receive",
       "localgovctl petition receive --kind recommendation --field construction --title "
       "\"Kiến nghị sửa đường\" --content \"Đường xuống cấp\" --name \"Lê Thị Kiến\""},
      {"petition show", "localgovctl petition show KN-000.00.31.H41-2026-0001 --output json"},
      {"petition print",
       "localgovctl petition print 000.00.31.H41-KN-261207-0001 -o bien-nhan.pdf"},
      {"petition list", "localgovctl petition list --agency 000.00.31.H41 --overdue"},
      {"petition timeline", "localgovctl petition timeline --citizen-id 056090008888 --open"},
      {"petition duplicates",
       "localgovctl petition duplicates --citizen-id 079203001111 --decision-number 125/QD-UBND "
       "--content \"khieu nai muc boi thuong\""},
      {"petition stats",
       "localgovctl petition stats --from 2026-01-01 --to 2026-12-31 --output csv > bao-cao.csv"},
      {"petition classify",
       "localgovctl petition classify CODE --decision accept --reason \"Đủ điều kiện thụ lý\""},
      {"petition assign", "localgovctl petition assign CODE --officer can-bo-01"},
      {"petition verify", "localgovctl petition verify CODE --note \"Đã xác minh tại chỗ\""},
      {"petition dialogue",
       "localgovctl petition dialogue CODE --participant \"Người khiếu nại\" --minutes "
       "\"Hai bên trình bày ý kiến\""},
      {"petition extend",
       "localgovctl petition extend CODE --days 30 --reason \"Xác minh tại nhiều nơi\""},
      {"petition suspend",
       "localgovctl petition suspend CODE --reason \"Chờ kết quả giám định\" --awaiting "
       "\"Kết luận giám định đất\""},
      {"petition resume", "localgovctl petition resume CODE"},
      {"petition close",
       "localgovctl petition close CODE --reason withdrawn --note \"Người khiếu nại rút đơn\""},
      {"petition decide",
       "localgovctl petition decide CODE --outcome answered --summary \"Sửa trong quý I\""},
      {"petition publish", "localgovctl petition publish CODE --publication \"Cổng thông tin xã\""},
      {"petition reveal",
       "localgovctl petition reveal CODE --role inspector --reason \"Cần liên hệ người tố cáo\""},
      {"petition readings", "localgovctl petition readings --role auditor"},
      {"petition lookup", "localgovctl petition lookup CODE --secret SECRET"},
      {"petition watch", "localgovctl petition watch --agency 000.00.31.H41 --count 5"},
      {"petition sealing-keygen",
       "localgovctl petition sealing-keygen --key-id seal-2 --out identity.keys"},
      {"seed demo", "localgovctl seed demo --exchange-keys .local/keys"},
      {"seed petitions", "localgovctl seed petitions"},
      {"cadre units", "localgovctl cadre units --of 000.00.31.H41"},
      {"cadre staffing", "localgovctl cadre staffing 000.00.31.H41-VP"},
      {"cadre people", "localgovctl cadre people --of 000.00.31.H41"},
      {"cadre show", "localgovctl cadre show 1570 --output json"},
      {"cadre history", "localgovctl cadre history 1570"},
      {"cadre roster", "localgovctl cadre roster --of 000.00.31.H41 --as-of 2020-01-01"},
      {"cadre assign",
       "localgovctl cadre assign 1604 --position 000.00.31.H41-VP-PCT2 --movement appointment "
       "--from 2027-01-01"},
      {"cadre rank",
       "localgovctl cadre rank 1570 --rank chuyen-vien --grade 01.003 --step 3 --coefficient "
       "3.00 --from 2026-01-01"},
      {"cadre correct",
       "localgovctl cadre correct 1570 --record 12 --reason \"Sai ngày\" --from 2019-07-01"},
      {"cadre qualify",
       "localgovctl cadre qualify 1570 --category professional --level 4 --field Luật --awarded "
       "2026-06-30"},
      {"cadre add-person",
       "localgovctl cadre add-person --kind civil-servant --citizen-id 079203004321 --name "
       "\"Trần Văn An\" --birth 1990-05-01 --gender male"},
      {"cadre add-unit",
       "localgovctl cadre add-unit --code 000.00.31.H41-TP --of 000.00.31.H41 --name "
       "\"Tư pháp\""},
      {"cadre add-position",
       "localgovctl cadre add-position --code TP1 --unit 000.00.31.H41-TP --name \"Công chức "
       "tư pháp\" --rank chuyen-vien"},
      {"cadre quota", "localgovctl cadre quota 000.00.31.H41-VP --year 2026 --quota 12"},
      {"cadre recruit", "localgovctl cadre recruit ranking 1 > ranking.csv"},
      {"cadre recruit open",
       "localgovctl cadre recruit open --unit 000.00.31.H41-VP --position 000.00.31.H41-VP-TPHT "
       "--name \"Tuyển dụng công chức 2026\" --posts 2 --interview --opened 2026-02-01"},
      {"cadre recruit add",
       "localgovctl cadre recruit add 1 --citizen-id 056199000001 --name \"Lê Thị Hoa\" "
       "--priority 2.5"},
      {"cadre recruit score",
       "localgovctl cadre recruit score 1 --version 1 --round1 30 --written 80 --interview 60"},
      {"cadre recruit ranking", "localgovctl cadre recruit ranking 1 > ranking.csv"},
      {"cadre report",
       "localgovctl cadre report --of 000.00.31.H41 --as-of 2025-12-31 > standards.csv"},
      {"cadre merge",
       "localgovctl cadre merge --agency 000.00.76.H41 --into 000.00.75.H41 --date 2026-12-01 "
       "--role system --output csv"},
      {"cadre register-agency",
       "localgovctl cadre register-agency --code 000.00.40.H41 --name \"UBND xã Mới\" "
       "--supervisor 000.00.00.H41"},
      {"cadre due", "localgovctl cadre due 000.00.31.H41-VP --horizon 120 --output csv"},
      {"cadre evaluate",
       "localgovctl cadre evaluate 1570 --year 2026 --level good --opinion \"Hoàn thành tốt\""},
      {"cadre discipline",
       "localgovctl cadre discipline 1570 --form reprimand --offence reprimand --conduct "
       "2026-01-05 --started 2026-02-02 --decided 2026-03-02 --decision 15/QĐ-UBND"},
      {"cadre load-demo",
       "localgovctl cadre load-demo --database-url postgresql://postgres@127.0.0.1:55432/"
       "localgov_cadre"},
      {"seed receptions", "localgovctl seed receptions --agency 000.00.31.H41"},
      {"reception session",
       "localgovctl reception session --date 2026-07-06 --leader-id chu-tich --leader-name "
       "\"Chủ tịch UBND xã\" --leader-role commune-chair"},
      {"reception visit",
       "localgovctl reception visit --session 000.00.31.H41-PTD-20260706-1 --name \"Nguyễn Văn "
       "A\" --content \"Đất vườn\" --written-down --signed --matter \"reflection|land|Lấn "
       "chiếm|Hàng xóm lấn chiếm lối đi\""},
      {"reception show", "localgovctl reception show 000.00.31.H41-TCD-2026-00001"},
      {"reception days", "localgovctl reception days --period 2026-07 --output csv"},
      {"reception visits",
       "localgovctl reception visits --from 2026-07-01 --to 2026-07-31 --crowd-cases --output "
       "csv"},
      {"reception reveal-visitors",
       "localgovctl reception reveal-visitors 000.00.31.H41-TCD-2026-00001 --role inspector "
       "--reason \"Cần liên hệ người tố cáo\""},
      {"voter session",
       "localgovctl voter session --council \"HĐND xã Hòa Phú\" --term 2026 --meeting-date "
       "2026-07-20 --held-date 2026-07-02"},
      {"voter add",
       "localgovctl voter add --session 000.00.31.H41-TXCT-20260702-1 --group \"Giao thông\" "
       "--content \"Sửa đường liên thôn\" --field construction --voters 12"},
      {"voter assign",
       "localgovctl voter assign 000.00.31.H41-TXCT-20260702-1-1 --to 000.00.31.H41 --due "
       "2026-07-31"},
      {"voter answer",
       "localgovctl voter answer 000.00.31.H41-TXCT-20260702-1-1 --answer \"Đã đưa vào kế "
       "hoạch\""},
      {"voter report-back",
       "localgovctl voter report-back 000.00.31.H41-TXCT-20260702-1-1 --note \"Kỳ họp 20/7\""},
      {"voter report", "localgovctl voter report 000.00.31.H41-TXCT-20260702-1 --output csv"},
      {"completion bash", "source <(localgovctl completion bash)"},
      // the groups
      {"token", "localgovctl token mint --role officer --agency 000.00.31.H41"},
      {"directory", "localgovctl directory get 000.00.31.H41"},
      {"calendar", "localgovctl calendar show 2026"},
      {"procedures", "localgovctl procedures search khai sinh"},
      {"dossier", "localgovctl dossier list --agency 000.00.31.H41"},
      {"exchange", "localgovctl exchange public-key .local/keys/liaison-log.key"},
      {"petition", "localgovctl petition list --agency 000.00.31.H41"},
      {"seed", "localgovctl seed demo --exchange-keys .local/keys"},
      {"reception", "localgovctl reception days --period 2026-Q3"},
      {"voter", "localgovctl voter report 000.00.31.H41-TXCT-20260702-1"},
      {"cadre", "localgovctl cadre roster --of 000.00.31.H41"},
      {"audit", "localgovctl audit verify --service dossier"},
      {"completion", "localgovctl completion bash > /etc/bash_completion.d/localgovctl"},
      {"completion paths", "localgovctl completion paths | grep ^dossier"},
  };
  return kExamples;
}

struct Node {
  std::string path;  // "" for the top level
  CLI::App* app;
};

// Every subcommand below `app` (depth first, in --help order), with its path.
void Walk(CLI::App* app, const std::string& path, std::vector<Node>& out) {
  for (CLI::App* sub : app->get_subcommands({})) {
    const std::string p = path.empty() ? sub->get_name() : path + " " + sub->get_name();
    out.push_back({p, sub});
    Walk(sub, p, out);
  }
}

std::vector<std::string> OptionNames(const CLI::App* app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app->get_options({})) {
    if (o->get_positional()) continue;
    for (const auto& l : o->get_lnames()) names.push_back("--" + l);
  }
  return names;
}

std::vector<std::string> SubcommandNames(CLI::App* app) {
  std::vector<std::string> names;
  for (CLI::App* sub : app->get_subcommands({})) names.push_back(sub->get_name());
  return names;
}

// The script: for the words typed so far, the deepest subcommand path they name; then its
// subcommands and options (and the top level's, which every subcommand accepts) are offered.
void PrintBash(CLI::App& app) {
  // Keys are "localgovctl" and the paths after it (bash's associative arrays refuse "").
  std::vector<Node> nodes{{"localgovctl", &app}};
  Walk(&app, "localgovctl", nodes);
  std::cout << "# bash completion for localgovctl, generated from its commands by `localgovctl "
               "completion bash`.\n# Use: source <(localgovctl completion bash)\n"
               "declare -gA _localgovctl_words=(\n";
  for (const auto& n : nodes) {
    auto words = SubcommandNames(n.app);
    for (auto& o : OptionNames(n.app)) words.push_back(std::move(o));
    std::cout << "  [\"" << n.path << "\"]=\"" << absl::StrJoin(words, " ") << "\"\n";
  }
  std::cout << ")\n_localgovctl_global=\"" << absl::StrJoin(OptionNames(&app), " ") << "\"\n";
  std::cout << R"(
_localgovctl() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" path=localgovctl i w
  case "$prev" in
    -o|--output) COMPREPLY=($(compgen -W "table json" -- "$cur")); return ;;
  esac
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="${COMP_WORDS[i]}"
    case "$w" in -*) continue ;; esac
    if [ -n "${_localgovctl_words["$path $w"]+set}" ]; then path="$path $w"; fi
  done
  local words="${_localgovctl_words["$path"]}"
  [ "$path" != localgovctl ] && words="$words $_localgovctl_global"
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _localgovctl localgovctl
)";
}

}  // namespace

void AddHelpCommands(CLI::App& app, Shared& shared) {
  auto* completion =
      app.add_subcommand("completion", "shell completion generated from these commands");
  completion->require_subcommand(1);
  auto* bash = completion->add_subcommand("bash", "print the bash completion script");
  shared.On(bash, [&app] {
    PrintBash(app);
    return 0;
  });
  auto* paths = completion->add_subcommand("paths", "print every subcommand's path, one a line");
  shared.On(paths, [&app] {
    std::vector<Node> nodes;
    Walk(&app, "", nodes);
    for (const auto& n : nodes) std::cout << n.path << "\n";
    return 0;
  });

  // Examples: in the footer of each subcommand's --help.
  std::vector<Node> nodes;
  Walk(&app, "", nodes);
  for (const auto& n : nodes) {
    auto it = Examples().find(n.path);
    if (it != Examples().end()) n.app->footer("\nExample:\n  " + it->second);
  }
  app.footer(
      "\nExamples:\n  localgovctl health\n  localgovctl dossier show CODE --output json\n"
      "  source <(localgovctl completion bash)\n"
      "Exit codes: 0 done, 1 a check failed, 2 bad usage, 10 + the gRPC code of a refused call "
      "(15 NOT_FOUND, 17 PERMISSION_DENIED; docs/operations.md).");
}

}  // namespace localgovctl
