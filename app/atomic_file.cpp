#include "atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace attn {

std::string write_file_atomic(const std::string& path, const std::string& bytes) {
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) return "cannot write " + path + ": " + std::strerror(errno);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t k = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (k < 0) {
      if (errno == EINTR) continue;
      const std::string e = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return "cannot write " + path + ": " + e;
    }
    done += size_t(k);
  }
  ::fchmod(fd, 0644);  // mkstemp makes 0600; an export should be readable like any other file
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string e = std::strerror(errno);
    ::unlink(tmp.c_str());
    return "cannot write " + path + ": " + e;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string e = std::strerror(errno);
    ::unlink(tmp.c_str());
    return "cannot write " + path + ": " + e;
  }
  return {};
}

std::string write_file_atomic_stream(const std::string& path, const std::function<void(std::ostream&)>& fill) {
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) return "cannot write " + path + ": " + std::strerror(errno);
  ::fchmod(fd, 0644);
  ::close(fd);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) fill(out);
    out.flush();
    if (!out) {
      ::unlink(tmp.c_str());
      return "cannot write " + path + " (is the disk full?)";
    }
  }
  const int sync_fd = ::open(tmp.c_str(), O_RDONLY);
  if (sync_fd >= 0) ::fsync(sync_fd), ::close(sync_fd);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string e = std::strerror(errno);
    ::unlink(tmp.c_str());
    return "cannot write " + path + ": " + e;
  }
  return {};
}

std::string read_file_limited(const std::string& path, uintmax_t max_bytes, std::string* out) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return "cannot read it";
  if (size > max_bytes) return "it is larger than " + std::to_string(max_bytes >> 20) + " MB";
  std::ifstream in(path, std::ios::binary);
  std::string s(size_t(size), '\0');
  if (!in || !in.read(s.data(), std::streamsize(size))) return "cannot read it";
  *out = std::move(s);
  return {};
}

}  // namespace attn
