#include "http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace photosync::test {

namespace {

int connect_to(std::uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::runtime_error("socket failed");
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        int err = errno;
        ::close(fd);
        throw std::runtime_error(std::string("connect failed: ") + std::strerror(err));
    }
    return fd;
}

void send_all(int fd, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;  // the server closed early (e.g. after refusing a huge body)
        }
        sent += static_cast<std::size_t>(n);
    }
}

// Reads more bytes into `buffer`; false on EOF, error or timeout.
bool read_more(int fd, std::string& buffer, std::chrono::steady_clock::time_point deadline,
               bool* eof = nullptr) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
        return false;
    }
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r <= 0) {
        return false;
    }
    char chunk[65536];
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) {
        if (eof != nullptr) {
            *eof = true;
        }
        return false;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
    return true;
}

std::string lower(std::string s) {
    for (auto& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

void parse_head(const std::string& head, int& status, std::map<std::string, std::string>& headers) {
    auto line_end = head.find("\r\n");
    auto first = head.substr(0, line_end);
    auto space = first.find(' ');
    status = space == std::string::npos ? 0 : std::stoi(first.substr(space + 1, 3));
    std::size_t pos = line_end + 2;
    while (pos < head.size()) {
        auto end = head.find("\r\n", pos);
        if (end == std::string::npos) {
            end = head.size();
        }
        auto line = head.substr(pos, end - pos);
        auto colon = line.find(':');
        if (colon != std::string::npos) {
            auto value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') {
                value.erase(0, 1);
            }
            headers[lower(line.substr(0, colon))] = value;
        }
        pos = end + 2;
    }
}

HttpResult read_response(int fd, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string buffer;
    HttpResult result;
    std::size_t head_end;
    bool eof = false;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!read_more(fd, buffer, deadline, &eof)) {
            result.closed = eof;
            return result;  // status 0: no response
        }
    }
    parse_head(buffer.substr(0, head_end), result.status, result.headers);
    buffer.erase(0, head_end + 4);
    auto length_text = result.header("content-length");
    if (!length_text.empty()) {
        auto length = static_cast<std::size_t>(std::stoull(length_text));
        while (buffer.size() < length && read_more(fd, buffer, deadline, &eof)) {
        }
        result.body = buffer.substr(0, std::min(length, buffer.size()));
    } else {
        while (read_more(fd, buffer, deadline, &eof)) {
        }
        result.body = buffer;
    }
    // Did the server close? Look without waiting long.
    std::string rest;
    read_more(fd, rest, std::chrono::steady_clock::now() + std::chrono::milliseconds(50), &eof);
    result.closed = eof || lower(result.header("connection")) == "close";
    return result;
}

}  // namespace

HttpResult HttpClient::request(const std::string& method, const std::string& target,
                               const std::string& body,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               std::optional<std::string> token) const {
    std::string bytes = method + " " + target +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                        "\r\nConnection: close\r\n";
    std::string auth = token.value_or(token_);
    if (!auth.empty()) {
        bytes += "Authorization: Bearer " + auth + "\r\n";
    }
    for (const auto& [k, v] : headers) {
        bytes += k + ": " + v + "\r\n";
    }
    if (!body.empty() || method == "POST") {
        bytes +=
            "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n";
    }
    bytes += "\r\n" + body;
    return raw(bytes);
}

HttpResult HttpClient::raw(const std::string& bytes, std::chrono::milliseconds timeout) const {
    int fd = connect_to(port_);
    send_all(fd, bytes);
    auto result = read_response(fd, timeout);
    ::close(fd);
    return result;
}

SseReader::SseReader(std::uint16_t port, const std::string& token, const std::string& target,
                     const std::vector<std::pair<std::string, std::string>>& headers) {
    fd_ = connect_to(port);
    std::string bytes = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " +
                        "text/event-stream\r\nAuthorization: Bearer " + token + "\r\n";
    for (const auto& [k, v] : headers) {
        bytes += k + ": " + v + "\r\n";
    }
    bytes += "\r\n";
    send_all(fd_, bytes);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (!read_more(fd_, buffer_, deadline, &closed_)) {
            return;
        }
    }
    std::map<std::string, std::string> h;
    parse_head(buffer_.substr(0, head_end), status_, h);
    buffer_.erase(0, head_end + 4);
    parse_available();
}

SseReader::~SseReader() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void SseReader::parse_available() {
    std::size_t end;
    while ((end = buffer_.find("\n\n")) != std::string::npos) {
        std::string block = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        SseEvent e;
        std::size_t pos = 0;
        while (pos <= block.size()) {
            auto nl = block.find('\n', pos);
            auto line = block.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
            if (line.starts_with("id: ")) {
                e.id = line.substr(4);
            } else if (line.starts_with("event: ")) {
                e.type = line.substr(7);
            } else if (line.starts_with("data: ")) {
                e.data += line.substr(6);
            }
            if (nl == std::string::npos) {
                break;
            }
            pos = nl + 1;
        }
        if (!e.type.empty()) {
            events_.push_back(std::move(e));
        }
    }
}

bool SseReader::read_until(const std::function<bool(const SseEvent&)>& done,
                           std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t checked = 0;
    for (;;) {
        for (; checked < events_.size(); ++checked) {
            if (done(events_[checked])) {
                return true;
            }
        }
        if (closed_ || !read_more(fd_, buffer_, deadline, &closed_)) {
            return false;
        }
        parse_available();
    }
}

}  // namespace photosync::test
