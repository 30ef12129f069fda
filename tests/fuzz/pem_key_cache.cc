#include "tests/fuzz/pem_key_cache.h"

#include <dlfcn.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace localgov::fuzz {
namespace {

struct CachedKey {
  std::string pem;
  EVP_PKEY* key = nullptr;
};

// The fuzz targets are single-threaded: no lock.
CachedKey g_public;
CachedKey g_private;
int64_t g_hits = 0;

using ReadKeyFn = EVP_PKEY* (*)(BIO*, EVP_PKEY**, pem_password_cb*, void*);

ReadKeyFn Real(const char* name) {
  auto fn = reinterpret_cast<ReadKeyFn>(dlsym(RTLD_NEXT, name));
  if (fn == nullptr) {
    std::fprintf(stderr, "fuzz: %s not found in libcrypto\n", name);
    std::abort();
  }
  return fn;
}

// The cached key when `bio` is a memory BIO holding exactly `cached.pem` and the caller wants a
// new key (x == nullptr, as libjwt asks); nullptr otherwise.
EVP_PKEY* FromCache(const CachedKey& cached, BIO* bio, EVP_PKEY** x) {
  if (cached.key == nullptr || x != nullptr) return nullptr;
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  if (len <= 0 || std::string_view(data, static_cast<size_t>(len)) != cached.pem) return nullptr;
  if (EVP_PKEY_up_ref(cached.key) != 1) return nullptr;
  ++g_hits;
  return cached.key;
}

EVP_PKEY* Decode(ReadKeyFn read, std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = read(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) {
    std::fprintf(stderr, "fuzz: the fixed key does not decode\n");
    std::abort();
  }
  return key;
}

}  // namespace

void CachePemKeys(std::string_view public_pem, std::string_view private_pem) {
  g_public = {std::string(public_pem), Decode(Real("PEM_read_bio_PUBKEY"), public_pem)};
  g_private = {std::string(private_pem), Decode(Real("PEM_read_bio_PrivateKey"), private_pem)};
}

int64_t PemKeyCacheHits() { return g_hits; }

}  // namespace localgov::fuzz

// Exported from the executable (tests/fuzz/CMakeLists.txt: --export-dynamic-symbol), so that
// libjwt's calls resolve here first.
extern "C" EVP_PKEY* PEM_read_bio_PUBKEY(BIO* bio, EVP_PKEY** x, pem_password_cb* cb, void* u) {
  static const auto real = localgov::fuzz::Real("PEM_read_bio_PUBKEY");
  if (EVP_PKEY* key = localgov::fuzz::FromCache(localgov::fuzz::g_public, bio, x)) return key;
  return real(bio, x, cb, u);
}

extern "C" EVP_PKEY* PEM_read_bio_PrivateKey(BIO* bio, EVP_PKEY** x, pem_password_cb* cb, void* u) {
  static const auto real = localgov::fuzz::Real("PEM_read_bio_PrivateKey");
  if (EVP_PKEY* key = localgov::fuzz::FromCache(localgov::fuzz::g_private, bio, x)) return key;
  return real(bio, x, cb, u);
}
