#include "toml_guard.hpp"

#include <vector>

#include "photosync/sdk/types.hpp"

namespace photosync::cli {

namespace {

enum class Expect { key, after_key, value, after_value, end_of_line };
enum class Nest { array, inline_table, header };

bool is_bare_key_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

bool non_ascii(char c) {
    return static_cast<unsigned char>(c) >= 0x80;
}

class Scanner {
  public:
    explicit Scanner(std::string_view text) : text_(text) {}

    std::optional<TomlGuardFinding> run() {
        if (text_.starts_with("\xEF\xBB\xBF")) {
            i_ = 3;  // a UTF-8 byte order mark: toml++ skips it
        }
        int stalled = 0;
        while (i_ < text_.size() && !finding_) {
            if (lost_) {
                strict_step();
                continue;
            }
            const std::size_t before = i_;
            step();
            // A step may only change what is expected next; a third in a
            // row without reading anything means the guard is lost.
            stalled = i_ == before ? stalled + 1 : 0;
            if (stalled > 2) {
                lose();
            }
        }
        return finding_;
    }

  private:
    char at(std::size_t k) const { return k < text_.size() ? text_[k] : '\0'; }

    void report(std::size_t k, TomlGuardFinding::Where where) {
        std::size_t end = k + 1;
        while (end < text_.size() && end < k + 4 &&
               (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) {
            ++end;
        }
        finding_ = TomlGuardFinding{line_, sdk::display_path(text_.substr(k, end - k)), where};
    }

    // The code point at k, if it is one toml++ 3.3 cannot classify.
    bool in_unsafe_range(std::size_t k) const {
        auto b = [&](std::size_t n) { return static_cast<unsigned char>(at(k + n)); };
        char32_t cp = 0;
        if ((b(0) & 0xE0) == 0xC0) {
            cp = ((b(0) & 0x1Fu) << 6) | (b(1) & 0x3Fu);
        } else if ((b(0) & 0xF0) == 0xE0) {
            cp = ((b(0) & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
        } else {
            return false;
        }
        return (cp >= 0xA1 && cp <= 0x499) || (cp >= 0x2C5E && cp <= 0x2FFF) ||
               (cp >= 0x3001 && cp <= 0x3057) || (cp >= 0xFB26 && cp <= 0xFEFE);
    }

    // The text no longer follows TOML's structure as the guard knows it:
    // from here on, every character of the unsafe ranges is named.
    void strict_step() {
        if (text_[i_] == '\n') {
            ++line_;
        } else if (non_ascii(text_[i_]) && in_unsafe_range(i_)) {
            report(i_, TomlGuardFinding::Where::after_a_mistake);
            return;
        }
        ++i_;
    }

    void lose() { lost_ = true; }

    void newline() {
        ++line_;
        ++i_;
    }

    void step() {
        const char c = text_[i_];
        if (c == ' ' || c == '\t') {
            ++i_;
            return;
        }
        if (non_ascii(c)) {
            report(i_, TomlGuardFinding::Where::outside_quotes);
            return;
        }
        const bool in_array = !nests_.empty() && nests_.back() == Nest::array;
        const bool in_inline = !nests_.empty() && nests_.back() == Nest::inline_table;
        if (c == '\r') {
            if (at(i_ + 1) != '\n') {
                lose();  // a CR alone: toml++ refuses it
                return;
            }
            ++i_;
            return;
        }
        if (c == '\n' || c == '#') {
            if (in_inline || (!nests_.empty() && nests_.back() == Nest::header) ||
                expect_ == Expect::after_key || (expect_ == Expect::value && !in_array) ||
                (expect_ == Expect::key && !nests_.empty())) {
                lose();
                return;
            }
            if (c == '#') {
                comment();
            } else {
                newline();
            }
            if (nests_.empty()) {
                expect_ = Expect::key;
            }
            return;
        }
        switch (expect_) {
            case Expect::key:
                if (c == '[' && nests_.empty()) {
                    ++i_;
                    header_depth_ = at(i_) == '[' ? 2 : 1;
                    i_ += header_depth_ - 1;
                    nests_.push_back(Nest::header);
                } else if (c == '"' || c == '\'') {
                    single_line_string(c);
                    expect_ = Expect::after_key;
                } else if (is_bare_key_char(c)) {
                    while (is_bare_key_char(at(i_))) {
                        ++i_;
                    }
                    expect_ = Expect::after_key;
                } else if (c == '}' && in_inline) {
                    ++i_;
                    nests_.pop_back();
                    expect_ = Expect::after_value;
                } else {
                    lose();
                }
                return;
            case Expect::after_key:
                if (c == '.') {
                    ++i_;
                    expect_ = Expect::key;
                } else if (c == '=' && (nests_.empty() || in_inline)) {
                    ++i_;
                    expect_ = Expect::value;
                } else if (c == ']' && !nests_.empty() && nests_.back() == Nest::header) {
                    for (int k = 0; k < header_depth_; ++k, ++i_) {
                        if (at(i_) != ']') {
                            lose();
                            return;
                        }
                    }
                    nests_.pop_back();
                    expect_ = Expect::end_of_line;
                } else {
                    lose();
                }
                return;
            case Expect::value:
                if (c == '"' || c == '\'') {
                    if (at(i_ + 1) == c && at(i_ + 2) == c) {
                        multi_line_string(c);
                    } else {
                        single_line_string(c);
                    }
                    expect_ = Expect::after_value;
                } else if (c == '[') {
                    ++i_;
                    nests_.push_back(Nest::array);
                } else if (c == '{') {
                    ++i_;
                    nests_.push_back(Nest::inline_table);
                    expect_ = Expect::key;
                } else if (c == ']' && in_array) {
                    ++i_;
                    nests_.pop_back();
                    expect_ = Expect::after_value;
                } else {
                    bare_value();
                    expect_ = Expect::after_value;
                }
                return;
            case Expect::after_value:
                if (c == ',' && (in_array || in_inline)) {
                    ++i_;
                    expect_ = in_array ? Expect::value : Expect::key;
                } else if (c == ']' && in_array) {
                    ++i_;
                    nests_.pop_back();
                } else if (c == '}' && in_inline) {
                    ++i_;
                    nests_.pop_back();
                } else if (c != '"' && c != '\'' && c != ',' && c != '[' && c != ']' && c != '{' &&
                           c != '}' && c != '=') {
                    bare_value();  // the time of a date-time written with a space
                } else {
                    lose();
                }
                return;
            case Expect::end_of_line:
                lose();
                return;
        }
    }

    void comment() {
        while (i_ < text_.size() && text_[i_] != '\n') {
            ++i_;
        }
    }

    // A number, boolean, date or time: toml++ reads it to the next space,
    // ',', ']', '}' or '#', whatever lies between.
    void bare_value() {
        while (i_ < text_.size()) {
            char c = text_[i_];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ']' ||
                c == '}' || c == '#') {
                return;
            }
            if (non_ascii(c)) {
                report(i_, TomlGuardFinding::Where::outside_quotes);
                return;
            }
            ++i_;
        }
    }

    void single_line_string(char quote) {
        ++i_;
        while (i_ < text_.size()) {
            char c = text_[i_];
            if (c == '\n' || c == '\r') {
                lose();  // toml++ refuses it here
                return;
            }
            ++i_;
            if (c == quote) {
                return;
            }
            if (c == '\\' && quote == '"' && at(i_) != '\n' && at(i_) != '\r') {
                ++i_;  // an escaped character
            }
        }
    }

    static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

    void multi_line_string(char quote) {
        i_ += 3;
        while (i_ < text_.size()) {
            char c = text_[i_];
            if (c == quote && at(i_ + 1) == quote && at(i_ + 2) == quote) {
                while (at(i_) == quote) {
                    ++i_;  // up to two quotes may end the content
                }
                return;
            }
            if (c == '\n') {
                ++line_;
            }
            ++i_;
            if (c != '\\' || quote != '"') {
                continue;
            }
            if (non_ascii(at(i_))) {
                report(i_, TomlGuardFinding::Where::after_backslash);
                return;
            }
            if (blank(at(i_))) {
                // A line-ending backslash: toml++ skips the blanks after it.
                while (i_ < text_.size() && blank(text_[i_])) {
                    line_ += text_[i_] == '\n' ? 1 : 0;
                    ++i_;
                }
                if (non_ascii(at(i_))) {
                    report(i_, TomlGuardFinding::Where::after_backslash);
                    return;
                }
            } else {
                ++i_;  // an escaped character
            }
        }
    }

    std::string_view text_;
    std::size_t i_ = 0;
    std::size_t line_ = 1;
    Expect expect_ = Expect::key;
    std::vector<Nest> nests_;
    int header_depth_ = 1;
    bool lost_ = false;
    std::optional<TomlGuardFinding> finding_;
};

}  // namespace

std::optional<TomlGuardFinding> toml_unsafe_character(std::string_view text) {
    return Scanner(text).run();
}

}  // namespace photosync::cli
