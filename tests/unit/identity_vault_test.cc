// The denouncer's identity at rest and in transit (Law on Denunciation 25/2018 Art. 47).
#include "services/petition/identity_vault.h"
#include "common/crypto.h"
#include "gtest/gtest.h"

namespace localgov::petition {
namespace {

TEST(IdentityVault, SealsUnderTheFirstKeyAndOpensOnlyForTheSamePetition) {
  auto vault = IdentityVault::Parse(IdentityVault::NewKeyLine("k2") + "\n# old\n" +
                                    IdentityVault::NewKeyLine("k1") + "\n");
  ASSERT_TRUE(vault.ok()) << vault.status();
  auto sealed = vault->Seal("Trần Văn Bình, 079203001234", "000.00.31.H41-TC-260302-0001");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->key_id, "k2");
  EXPECT_EQ(sealed->blob.find("Bình"), std::string::npos);
  EXPECT_EQ(*vault->Open(*sealed, "000.00.31.H41-TC-260302-0001"), "Trần Văn Bình, 079203001234");
  // Moved to another petition, or altered: it does not open.
  EXPECT_EQ(vault->Open(*sealed, "000.00.31.H41-TC-260302-0002").status().code(),
            absl::StatusCode::kDataLoss);
  SealedValue altered = *sealed;
  altered.blob.back() ^= 1;
  EXPECT_EQ(vault->Open(altered, "000.00.31.H41-TC-260302-0001").status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(IdentityVault, TheIndexLineKeysTheBlindIndexAndNeverSeals) {
  const std::string index = IdentityVault::NewKeyLine("index");
  auto vault = IdentityVault::Parse(index + "\n" + IdentityVault::NewKeyLine("k1") + "\n");
  ASSERT_TRUE(vault.ok()) << vault.status();
  EXPECT_EQ(vault->current_key_id(), "k1");  // the first sealing key, not the index key
  EXPECT_TRUE(vault->has_index_key());
  const std::string a = vault->BlindIndex("id\n079187654321");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a, vault->BlindIndex("id\n079187654321"));
  EXPECT_NE(a, vault->BlindIndex("id\n079187654322"));
  // Another ring's index key gives other values; a rotation of the sealing keys keeps them.
  auto other = IdentityVault::Parse(IdentityVault::NewKeyLine("index") +
                                    "\nk:" + IdentityVault::NewKeyLine("k").substr(2));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(a, other->BlindIndex("id\n079187654321"));
  auto rotated = IdentityVault::Parse(IdentityVault::NewKeyLine("k2") + "\n" + index + "\n");
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(a, rotated->BlindIndex("id\n079187654321"));
  // A ring without an index key matches no denouncer; an index key alone seals nothing.
  EXPECT_EQ(IdentityVault::Parse(IdentityVault::NewKeyLine("k"))->BlindIndex("x"), "");
  EXPECT_FALSE(IdentityVault::Parse(index).ok());
}

TEST(IdentityVault, AKeyRemovedFromTheRingNoLongerOpensWhatItSealed) {
  const std::string old_line = IdentityVault::NewKeyLine("old");
  auto before = IdentityVault::Parse(old_line);
  auto sealed = before->Seal("x", "c");
  auto rotated = IdentityVault::Parse(IdentityVault::NewKeyLine("new") + "\n" + old_line);
  EXPECT_TRUE(rotated->Open(*sealed, "c").ok());  // rotation: the old key still opens
  EXPECT_EQ(rotated->current_key_id(), "new");
  auto dropped = IdentityVault::Parse(IdentityVault::NewKeyLine("new"));
  EXPECT_EQ(dropped->Open(*sealed, "c").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(IdentityVault, RefusesBadRingsWithoutQuotingTheKey) {
  EXPECT_FALSE(IdentityVault::Parse("").ok());
  auto bad = IdentityVault::Parse("k1:c2VjcmV0");  // 6 bytes
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(std::string(bad.status().message()).find("c2VjcmV0"), std::string::npos);
  const std::string line = IdentityVault::NewKeyLine("k1");
  EXPECT_FALSE(IdentityVault::Parse(line + "\n" + line).ok());  // a key id twice
  EXPECT_FALSE(IdentityVault::Parse("bad id:" + line.substr(3)).ok());
  IdentityVault none;
  EXPECT_EQ(none.Seal("x", "c").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(IdentityVault, AForwardedIdentityOpensOnlyWithTheReceivingAgencysKey) {
  const auto receiver = GenerateEd25519KeyPair();
  const auto other = GenerateEd25519KeyPair();
  auto box = SealToAgency("Trần Văn Bình", receiver.public_key);
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(box->find("Bình"), std::string::npos);
  EXPECT_EQ(*OpenAsAgency(*box, receiver.secret_key), "Trần Văn Bình");
  EXPECT_EQ(OpenAsAgency(*box, other.secret_key).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE(SealToAgency("x", "short").ok());
}

}  // namespace
}  // namespace localgov::petition
