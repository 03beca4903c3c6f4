#pragma once
// Text normalisation shared by the classifier and the similarity measure, so that "路灯 不亮！！😡"
// and "路灯不亮" look the same to both: full-width ASCII to half-width, ASCII case-folded,
// whitespace, punctuation, emoji, symbols and OneBot CQ codes removed. Chinese characters,
// letters and digits are kept. Invalid UTF-8 bytes are dropped.
#include <string>
#include <string_view>

namespace lianxin::workflow {

std::u32string normalise(std::string_view utf8);
std::u32string decode_utf8(std::string_view utf8);
std::string encode_utf8(std::u32string_view text);

}  // namespace lianxin::workflow
