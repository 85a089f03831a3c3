// The CSV tokenizer behind read_csv (rules in csv.hpp): delimiter detection,
// splitting a line into trimmed, unquoted fields, and reading cells as numbers.
// Also used to read back a header Plexus wrote (CSVLogger's append mode).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace plexus::csv_detail {

// "tab" or "','" for messages.
std::string delimiter_name(char delimiter);
// ',', ';' or '\t': the one that occurs most often outside quotes; ',' if none.
char detect_delimiter(std::string_view first_line);
// The fields of one line: surrounding spaces trimmed, quotes removed ("" -> ").
// A trailing delimiter yields a final empty field. DataError naming
// path:line_no:field for an unterminated quote or text after a closing quote.
std::vector<std::string> split_fields(const std::string& path, std::size_t line_no, std::string_view line,
                                      char delimiter);
// Parses a whole cell as a double ("+1.5", "-2e3", "nan", "inf" accepted; out of
// range gives +-HUGE_VAL or a tiny value, for the caller's range check).
bool parse_number(std::string_view s, double& out);
// Cells that mean "no value" in a feature column: "", na, n/a, null, none, ?, nan (any case).
bool is_missing_marker(std::string_view s);
// Cells that mean "no value" in the target column ("none" and "?" can be real labels).
// Neither allocates (read_csv asks once per row).
bool is_missing_target(std::string_view s);

}  // namespace plexus::csv_detail
