#include "digest.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "translate.h"

namespace attn {
namespace {

struct Hasher {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  explicit Hasher(DigestKind kind, uint64_t size) {
    EVP_DigestInit_ex(ctx.get(), kind == DigestKind::Sha256 ? EVP_sha256() : EVP_sha1(), nullptr);
    if (kind == DigestKind::GitBlobSha1) {  // git's object header: "blob <decimal size>" and a NUL
      const std::string head = "blob " + std::to_string(size);
      EVP_DigestUpdate(ctx.get(), head.data(), head.size() + 1);  // + 1: std::string keeps the NUL
    }
  }
  void update(const void* p, size_t n) { EVP_DigestUpdate(ctx.get(), p, n); }
  std::string hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(ctx.get(), md, &len);
    static const char kHex[] = "0123456789abcdef";
    std::string s(size_t(len) * 2, '0');
    for (unsigned i = 0; i < len; ++i) s[2 * i] = kHex[md[i] >> 4], s[2 * i + 1] = kHex[md[i] & 15];
    return s;
  }
};

}  // namespace

std::string digest_hex(DigestKind kind, std::string_view bytes) {
  Hasher h(kind, bytes.size());
  h.update(bytes.data(), bytes.size());
  return h.hex();
}

std::string file_digest_hex(DigestKind kind, const std::string& path, std::string* err, const std::atomic<bool>* cancel,
                            const std::function<void(uint64_t)>& on_bytes) {
  std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!f) {
    if (err) *err = "cannot read " + path + ": " + std::strerror(errno);
    return "";
  }
  // The git header needs the size before the content.
  if (std::fseek(f.get(), 0, SEEK_END) != 0) {
    if (err) *err = "cannot read " + path + ": " + std::strerror(errno);
    return "";
  }
  const long size = std::ftell(f.get());
  std::rewind(f.get());
  Hasher h(kind, uint64_t(size < 0 ? 0 : size));
  std::vector<char> buf(1 << 20);
  uint64_t total = 0;
  for (;;) {
    if (cancel && cancel->load(std::memory_order_relaxed)) {
      if (err) *err = "cancelled";
      return "";
    }
    const size_t n = std::fread(buf.data(), 1, buf.size(), f.get());
    if (n == 0) break;
    h.update(buf.data(), n);
    total += n;
    if (on_bytes) on_bytes(total);
  }
  if (std::ferror(f.get()) || total != uint64_t(size)) {
    if (err) *err = printf_text(_("cannot read %s (read error or the file changed while hashing)"), path.c_str());
    return "";
  }
  return h.hex();
}

}  // namespace attn
