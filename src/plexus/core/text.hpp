// Text helpers for untrusted input: UTF-8 validation and short, printable
// excerpts for error messages (so an error never echoes megabytes of a file,
// control characters or invalid bytes back to a terminal).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace plexus {

// The byte offset of the first byte that does not start or continue a valid
// UTF-8 sequence (overlong forms, surrogates and code points above U+10FFFF are
// invalid), or nullopt if all of `text` is valid UTF-8.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

// At most `max_chars` bytes of `text`, cut at a UTF-8 boundary, with control
// characters and invalid bytes written as \xNN and "..." (plus the total
// length) appended when cut. Safe to put into any message.
std::string excerpt(std::string_view text, std::size_t max_chars = 60);

// RFC 4648 base64 with padding, for binary blobs inside JSON. base64_decode
// throws DataError (naming the offset) for text that is not canonical base64.
std::string base64_encode(std::string_view bytes);
std::string base64_decode(std::string_view text);

}  // namespace plexus
