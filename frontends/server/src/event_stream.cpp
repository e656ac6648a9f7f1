#include "event_stream.hpp"

#include <boost/asio/write.hpp>
#include <boost/url/parse.hpp>
#include <charconv>

#include "json_mapping.hpp"

namespace photosync::server {

namespace {

constexpr auto kKeepAlive = std::chrono::seconds(15);
constexpr std::size_t kBatch = 512;

std::optional<std::uint64_t> parse_seq(std::string_view text) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return v;
}

void append_event(std::string& out, std::uint64_t id, std::string_view type,
                  std::string_view data) {
    out += "id: ";
    out += std::to_string(id);
    out += "\nevent: ";
    out += type;
    out += "\ndata: ";
    out += data;
    out += "\n\n";
}

// True when all of `data` was written before the write timeout.
sdk::awaitable<bool> write_all(std::shared_ptr<Connection> conn, std::string data,
                               std::chrono::milliseconds timeout) {
    conn->stream.expires_after(timeout);
    auto [ec, n] =
        co_await boost::asio::async_write(conn->stream, boost::asio::buffer(data), sdk::use_tuple);
    co_return !ec;
}

std::string snapshot(const ServerContext& ctx) {
    nlohmann::json jobs = nlohmann::json::array();
    for (const auto& r : ctx.jobs.list()) {
        jobs.push_back(job_json(r->snapshot()));
    }
    return dump_json({{"jobs", jobs}});
}

}  // namespace

sdk::awaitable<void> run_event_stream(std::shared_ptr<ServerContext> ctx,
                                      std::shared_ptr<Connection> conn, Request request) {
    auto& stream = conn->stream;
    bool items = true;
    std::optional<std::uint64_t> resume;
    if (auto target = boost::urls::parse_origin_form(request.target())) {
        auto params = target->params();
        if (auto it = params.find("items"); it != params.end()) {
            std::string v = (*it).value;
            items = !(v == "0" || v == "false" || v == "no");
        }
        if (auto it = params.find("since"); it != params.end()) {
            resume = parse_seq(std::string((*it).value));
        }
    }
    if (auto id = request.find("Last-Event-ID"); id != request.end()) {
        resume = parse_seq(id->value());
    }

    auto waiter = std::make_shared<EventWaiter>(stream.get_executor());
    ctx->events->subscribe(waiter);
    struct Unsubscribe {
        EventHub& hub;
        std::shared_ptr<EventWaiter> w;
        ~Unsubscribe() { hub.unsubscribe(w); }
    } unsubscribe{*ctx->events, waiter};

    std::string out =
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: text/event-stream; charset=utf-8\r\n"
        "Cache-Control: no-store\r\n"
        "X-Accel-Buffering: no\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "Server: photosync\r\n"
        "Connection: close\r\n"
        "\r\n"
        "retry: 2000\n\n";
    std::uint64_t last = ctx->events->last_seq();
    if (resume && *resume <= last) {
        last = *resume;  // replay what was missed (or resync if it is gone)
    } else {
        append_event(out, last, "snapshot", snapshot(*ctx));
    }

    for (;;) {
        if (!out.empty()) {
            std::string chunk = std::move(out);
            out.clear();
            bool ok = co_await write_all(conn, std::move(chunk), ctx->options.write_timeout);
            if (!ok) {
                co_return;  // the client went away or stopped reading
            }
        }
        waiter->wake_pending.store(false);
        auto batch = ctx->events->since(last, kBatch);
        if (batch.gap) {
            last = batch.last_seq;
            append_event(out, last, "snapshot", snapshot(*ctx));
            continue;
        }
        for (const auto& e : batch.events) {
            last = e.seq;
            if (items || !e.item) {
                append_event(out, e.seq, e.type, e.data);
            }
        }
        if (!batch.events.empty()) {
            continue;
        }
        if (ctx->stopping) {
            std::string bye;
            append_event(bye, last, "shutdown", "{}");
            (void)co_await write_all(conn, std::move(bye), ctx->options.write_timeout);
            co_return;
        }
        // Nothing new: sleep until something is published (the hub cancels
        // the timer) or it is time for a keep-alive line. No suspension
        // between reading the hub and waiting, so no wake-up is lost.
        waiter->timer.expires_after(kKeepAlive);
        auto [ec] = co_await waiter->timer.async_wait(sdk::use_tuple);
        if (!ec) {
            out = ": keep-alive\n\n";
        }
    }
}

}  // namespace photosync::server
