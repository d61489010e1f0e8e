#include "sha256.h"

#include <openssl/evp.h>

#include <fstream>
#include <vector>

#include "utf8.h"

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

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex();
}

std::string sha256_hex_file(const std::string& path, std::string* err) {
  const std::string where = untrusted_text(path, 240);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *err = "cannot open " + where;
    return {};
  }
  Sha256 h;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), std::streamsize(buf.size()));
    if (in.gcount() > 0) h.update({buf.data(), size_t(in.gcount())});
  }
  if (!in.eof()) {
    *err = "cannot read " + where;
    return {};
  }
  std::string hex = h.hex();
  if (hex.empty()) *err = where + ": SHA-256 failed (OpenSSL)";
  return hex;
}

}  // namespace attn
