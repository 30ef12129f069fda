#ifndef LOCALGOV_COMMON_TEXT_H_
#define LOCALGOV_COMMON_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

namespace localgov {

// Folds Vietnamese text for search and duplicate detection: letters with diacritics become
// their base letter (ắ -> a, Đ -> d, also when the marks come as combining characters),
// everything is lower case, anything that is not a letter or digit becomes a single space.
// "Đăng ký  KHAI SINH!" and "dang ky khai sinh" fold to the same "dang ky khai sinh".
std::string FoldVietnamese(std::string_view utf8);

// The folded words of `utf8`, in order.
std::vector<std::string> FoldedWords(std::string_view utf8);

// Whether `utf8` is well-formed UTF-8.
bool IsValidUtf8(std::string_view utf8);

// A 12-digit citizen identity number (CCCD, Decree 137/2015 as amended): digits only.
bool IsValidCitizenId(std::string_view id);
// A citizen ID as lists show it: all but the last 4 characters masked ("********4567").
std::string MaskCitizenId(std::string_view id);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_TEXT_H_
