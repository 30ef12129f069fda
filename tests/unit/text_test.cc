#include "common/text.h"

#include "gtest/gtest.h"

namespace localgov {
namespace {

TEST(FoldVietnameseTest, DiacriticsCaseAndPunctuationFoldAway) {
  EXPECT_EQ(FoldVietnamese("Đăng ký  KHAI SINH!"), "dang ky khai sinh");
  EXPECT_EQ(FoldVietnamese("dang ky khai sinh"), "dang ky khai sinh");
  EXPECT_EQ(FoldVietnamese("Cấp Giấy chứng nhận quyền sử dụng đất"),
            "cap giay chung nhan quyen su dung dat");
  EXPECT_EQ(FoldVietnamese("Ủy ban nhân dân xã Tân Phú"), "uy ban nhan dan xa tan phu");
  EXPECT_EQ(FoldVietnamese("Hộ kinh doanh – số 12/2025"), "ho kinh doanh so 12 2025");
}

TEST(FoldVietnameseTest, CombiningMarksFoldLikePrecomposedLetters) {
  // "ký" written as k + y + U+0301 (combining acute), as some keyboards and macOS produce.
  EXPECT_EQ(FoldVietnamese("k"
                           "y\xCC\x81"),
            "ky");
  EXPECT_EQ(FoldVietnamese("Tie\xCC\x82\xCC\x81n"), "tien");  // Tiến, decomposed
}

TEST(FoldVietnameseTest, BadUtf8NeverBreaksIt) {
  EXPECT_EQ(FoldVietnamese("ab\xFF\xFE"
                           "cd"),
            "ab cd");
  EXPECT_FALSE(IsValidUtf8("ab\xFF"));
  EXPECT_TRUE(IsValidUtf8("Đăng ký"));
  EXPECT_EQ(FoldVietnamese(""), "");
}

TEST(FoldVietnameseTest, WordsComeInOrder) {
  EXPECT_EQ(FoldedWords("  Chứng thực   bản sao "),
            (std::vector<std::string>{"chung", "thuc", "ban", "sao"}));
}

}  // namespace
}  // namespace localgov
