// The JWT fuzz target's key cache. libjwt 1.10 takes the verifier's and the minter's keys as PEM
// text and decodes them again on every token: with OpenSSL 3.0 that is ~3,000 allocations and
// ~360 us of CPU for the public key (of ~430 us a verification costs, the ECDSA check itself
// ~60 us), and under AddressSanitizer's allocator four times more — which is why token_fuzz ran
// ~441 inputs a second (profile: docs/reliability.md, "Fuzzing").
//
// pem_key_cache.cc defines PEM_read_bio_PUBKEY and PEM_read_bio_PrivateKey in the fuzz
// executable, which take precedence over libcrypto's for libjwt's calls: when the BIO holds
// exactly a PEM registered here, they return the key decoded once at start-up (a new reference);
// any other text goes to OpenSSL's own functions. The token's signature is still checked by
// libjwt and OpenSSL with that key on every input; only the decoding of our own fixed key
// (configuration, not fuzzer input) is not repeated.
#ifndef LOCALGOV_TESTS_FUZZ_PEM_KEY_CACHE_H_
#define LOCALGOV_TESTS_FUZZ_PEM_KEY_CACHE_H_

#include <cstdint>
#include <string_view>

namespace localgov::fuzz {

// Decodes both keys (aborts if either is not a key) and serves them from then on.
void CachePemKeys(std::string_view public_pem, std::string_view private_pem);

// How many decodings the cache has answered: 0 after a verification means the executable's
// functions were not the ones libjwt called (the target would be slow again).
int64_t PemKeyCacheHits();

}  // namespace localgov::fuzz

#endif  // LOCALGOV_TESTS_FUZZ_PEM_KEY_CACHE_H_
