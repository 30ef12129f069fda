// The petition part of the RPC fuzz target (tests/fuzz/rpc_fuzz.cc): the petition service,
// started in the same World against the liaison (its directory, its outbox) and the dossier
// service (its calendar); its RPC rows, placeholders and seeds.
//
// Placeholders: a top-level string field `code`, `petition_code` or `first_petition_code` of
//   "@KN"  a complaint received for this input,    "@KA" that complaint accepted,
//   "@KD"  that complaint decided (COMPLAINT_RIGHT), "@TC" a denunciation received,
//   "@TA"  that denunciation accepted as complex,  "@TS" that denunciation suspended,
//   "@KNG" a recommendation received,               "@KF" a recommendation forwarded to the
//          police (an external receiver),
// becomes that petition's code; the request's `expected_version`, if it has one, is added to
// the petition's version (0: the right version). A Deliver envelope's in_reply_to "@KF" becomes
// the envelope id of a recommendation forwarded for this input (its answer arrives); the other
// envelope placeholders ("@" id, "@sign") are rpc_fuzz.cc's.
#ifndef LOCALGOV_TESTS_FUZZ_PETITION_FUZZ_WORLD_H_
#define LOCALGOV_TESTS_FUZZ_PETITION_FUZZ_WORLD_H_

#include <string>
#include <vector>

#include "google/protobuf/message.h"
#include "tests/fuzz/fuzz_common.h"

namespace localgov::fuzz::petition_part {

// Starts the petition service on this port (peers: the liaison and the dossier service on these
// ports) and waits until it can receive a petition (its calendar copied from the dossier service).
void Start(int port, int liaison_port, int dossier_port);
void Stop();
// The rows appended to the RPC table, in their fixed order.
std::vector<Rpc> Rpcs();
// Fills the petition placeholders of a request (any RPC's).
void FillPlaceholders(google::protobuf::Message& m);
std::vector<Seed> Seeds();

}  // namespace localgov::fuzz::petition_part

#endif  // LOCALGOV_TESTS_FUZZ_PETITION_FUZZ_WORLD_H_
