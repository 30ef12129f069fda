#ifndef LOCALGOV_TOOLS_LOADGEN_OPEN_LOOP_H_
#define LOCALGOV_TOOLS_LOADGEN_OPEN_LOOP_H_

#include <string>

namespace localgov::loadgen {

// Open loop: calls sent at a fixed arrival rate whatever the server does (a closed loop's
// clients slow down with the server and never overload it). Latency counts from the moment a
// call was due, so a late sender does not hide the wait (no coordinated omission).
struct OpenLoopOptions {
  std::string target;
  // receive-dossier | get-dossier | lookup-dossier | dossier-info | list-procedures | health
  std::string rpc;
  std::string bearer;
  std::string code;    // get-dossier, lookup-dossier: the dossier code
  std::string factor;  // lookup-dossier: the second factor
  double rate = 100;   // calls per second
  double seconds = 10;
  int deadline_ms = 5000;
  int channels = 8;              // connections, calls spread round robin
  long max_outstanding = 50000;  // calls in flight beyond this are not sent (counted)
  // receive-dossier: each intake has its own citizen, `citizen_prefix` (5 digits) + 7 digits of
  // its sequence number, and its request id `run_id`-n; every acknowledged one is written to
  // `acks_file` as "request_id<TAB>citizen_id<TAB>code" for the fault suite's checker.
  std::string citizen_prefix = "80000";
  std::string run_id = "openloop";
  std::string acks_file;
};

// Prints one JSON line: sent, by status code (count, p50/p99/max ms), and returns 0.
int RunOpenLoop(const OpenLoopOptions& options);

}  // namespace localgov::loadgen

#endif  // LOCALGOV_TOOLS_LOADGEN_OPEN_LOOP_H_
