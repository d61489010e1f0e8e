#include "atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "translate.h"

namespace attn {

std::string write_file_atomic(const std::string& path, const std::string& bytes) {
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) return printf_text(_("cannot write %s: %s"), path.c_str(), std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t k = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (k < 0) {
      if (errno == EINTR) continue;
      const std::string e = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return printf_text(_("cannot write %s: %s"), path.c_str(), e.c_str());
    }
    done += size_t(k);
  }
  ::fchmod(fd, 0644);  // mkstemp makes 0600; an export should be readable like any other file
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string e = std::strerror(errno);
    ::unlink(tmp.c_str());
    return printf_text(_("cannot write %s: %s"), path.c_str(), e.c_str());
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string e = std::strerror(errno);
    ::unlink(tmp.c_str());
    return printf_text(_("cannot write %s: %s"), path.c_str(), e.c_str());
  }
  return {};
}

std::string write_file_atomic_stream(const std::string& path, const std::function<void(std::ostream&)>& fill) {
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) return printf_text(_("cannot write %s: %s"), path.c_str(), std::strerror(errno));
  ::fchmod(fd, 0644);
  ::close(fd);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) fill(out);
    out.flush();
    if (!out) {
      ::unlink(tmp.c_str());
      return printf_text(_("cannot write %s (is the disk full?)"), path.c_str());
    }
  }
  const int sync_fd = ::open(tmp.c_str(), O_RDONLY);
  if (sync_fd >= 0) ::fsync(sync_fd), ::close(sync_fd);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string e = std::strerror(errno);
    ::unlink(tmp.c_str());
    return printf_text(_("cannot write %s: %s"), path.c_str(), e.c_str());
  }
  return {};
}

std::string read_file_limited(const std::string& path, uintmax_t max_bytes, std::string* out) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return _("cannot read it");
  if (size > max_bytes) return printf_text(_("it is larger than %s MB"), std::to_string(max_bytes >> 20).c_str());
  std::ifstream in(path, std::ios::binary);
  std::string s(size_t(size), '\0');
  if (!in || !in.read(s.data(), std::streamsize(size))) return _("cannot read it");
  *out = std::move(s);
  return {};
}

}  // namespace attn
