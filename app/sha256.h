// sha256.h: SHA-256 digests as 64 lowercase hex digits (OpenSSL's EVP), for naming a checkpoint's weights file in
// exports and for checking downloads against the hub's ETag.
#pragma once
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace attn {

std::string sha256_hex(std::string_view bytes);
// The file's digest, read in chunks (a file of several GB never sits in memory). On failure returns "" and sets
// *err to one sentence starting with the path.
std::string sha256_hex_file(const std::string& path, std::string* err);

// The same digest fed piece by piece (bytes as they are downloaded, a mapped file a chunk at a time).
class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  std::string hex();  // the digest of everything fed so far; "" if OpenSSL failed. Ends the computation.

 private:
  struct Free {
    void operator()(evp_md_ctx_st* c) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
};

}  // namespace attn
