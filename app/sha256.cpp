#include "sha256.h"

#include <openssl/evp.h>

#include "digest.h"

namespace attn {

void Sha256::Free::operator()(evp_md_ctx_st* c) const { EVP_MD_CTX_free(c); }

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ && EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) ctx_.reset();
}

void Sha256::update(std::string_view bytes) {
  if (ctx_ && EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()) != 1) ctx_.reset();
}

std::string Sha256::hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!ctx_ || EVP_DigestFinal_ex(ctx_.get(), md, &n) != 1) return {};
  ctx_.reset();
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (unsigned int i = 0; i < n; ++i) {
    s.push_back(digits[md[i] >> 4]);
    s.push_back(digits[md[i] & 15]);
  }
  return s;
}

// The whole-buffer and whole-file forms are digest.h's (one streaming reader for downloads and checkpoints).
std::string sha256_hex(std::string_view bytes) { return digest_hex(DigestKind::Sha256, bytes); }

std::string sha256_hex_file(const std::string& path, std::string* err) {
  return file_digest_hex(DigestKind::Sha256, path, err);
}

}  // namespace attn
