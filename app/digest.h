// digest.h: the content hashes the Hugging Face hub names files by (OpenSSL's EVP):
//   SHA-256 of the bytes                  — an LFS file's id (the hub's X-Linked-Etag), 64 hex digits
//   SHA-1 of "blob <size>\0" + the bytes  — a git blob id (the ETag of a small file kept in git), 40 hex digits
// Lowercase hex. app/sha256.h's sha256_hex and sha256_hex_file are these with DigestKind::Sha256; its Sha256 class
// feeds a digest piece by piece (a checkpoint hashed while it is copied).
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace attn {

enum class DigestKind { Sha256, GitBlobSha1 };

std::string digest_hex(DigestKind kind, std::string_view bytes);

// Streams the file (constant memory). Returns the hex digest, or "" with *err set (unreadable file, or `cancel`
// became true: *err = "cancelled"). `on_bytes(n)` is called after each chunk with the bytes read so far.
std::string file_digest_hex(DigestKind kind, const std::string& path, std::string* err,
                            const std::atomic<bool>* cancel = nullptr,
                            const std::function<void(uint64_t)>& on_bytes = {});

}  // namespace attn
