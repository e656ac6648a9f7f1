// Root reads files whatever their mode, so tests of "unreadable" files switch
// the process's effective user to nobody for their duration (no-op when not root).
#pragma once

#include <sys/types.h>
#include <unistd.h>

namespace photosync::test {

class Unprivileged {
  public:
    Unprivileged() {
        if (::geteuid() == 0) {
            active_ = ::setegid(65534) == 0 && ::seteuid(65534) == 0;
        }
    }
    ~Unprivileged() {
        if (active_) {
            (void)::seteuid(0);
            (void)::setegid(0);
        }
    }
    Unprivileged(const Unprivileged&) = delete;
    Unprivileged& operator=(const Unprivileged&) = delete;

  private:
    bool active_ = false;
};

}  // namespace photosync::test
