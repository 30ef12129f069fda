// The keys by which two services recognise the same person without telling each other who it
// is: a SHA-256 of the citizen ID, and of the name and address folded without diacritics. The
// dossier service sends them with a dossier's report; the petition service matches a
// petitioner by the same keys (services/petition/matching). A denouncer is never matched by
// them: the petition service keys a denouncer with its own blind index instead.
#ifndef LOCALGOV_COMMON_PERSON_KEY_H_
#define LOCALGOV_COMMON_PERSON_KEY_H_

#include <string>
#include <string_view>

namespace localgov {

// What is hashed: "id\n<citizen ID>" and "name-address\n<name folded>\n<address folded>".
std::string CitizenIdMaterial(std::string_view citizen_id);
std::string NameAddressMaterial(std::string_view full_name, std::string_view address);
// "h:" + SHA-256 hex of the material; empty when there is no citizen ID, or not both a name and
// an address.
std::string CitizenIdKey(std::string_view citizen_id);
std::string NameAddressKey(std::string_view full_name, std::string_view address);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_PERSON_KEY_H_
