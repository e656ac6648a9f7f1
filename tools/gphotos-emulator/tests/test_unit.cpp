// Pure-function tests (no sockets).
#include <catch2/catch.hpp>

#include "clock.hpp"
#include "faults.hpp"
#include "harness.hpp"
#include "hash_pipeline.hpp"
#include "http_util.hpp"
#include "ids.hpp"
#include "media_magic.hpp"
#include "oauth.hpp"
#include "paging.hpp"
#include "schema.hpp"
#include "sha256.hpp"

using namespace gpe;

TEST_CASE("media magic bytes: photos, videos and non-media") {
    CHECK(detect_media(emu_test::jpeg_bytes()).mime == "image/jpeg");
    CHECK(detect_media(emu_test::jpeg_bytes()).width == 1024);
    CHECK(detect_media(emu_test::jpeg_bytes()).height == 768);
    const auto png = detect_media(emu_test::png_bytes(100, 4032, 3024));
    CHECK(png.kind == MediaKind::photo);
    CHECK(png.width == 4032);
    CHECK(png.height == 3024);
    CHECK(detect_media("GIF89a\x10\x00\x20\x00").mime == "image/gif");
    CHECK(detect_media(std::string("RIFF\0\0\0\0WEBPVP8 ", 16)).mime == "image/webp");
    CHECK(detect_media(std::string("II*\0\x08\0\0\0", 8)).mime == "image/tiff");
    CHECK(detect_media(std::string("\0\0\0\x1c"
                                   "ftypheic\0\0\0\0mif1heic",
                                   24))
              .mime == "image/heic");
    CHECK(detect_media(std::string("\0\0\0\x1c"
                                   "ftypavif\0\0\0\0mif1avif",
                                   24))
              .mime == "image/avif");
    CHECK(detect_media(emu_test::mp4_bytes()).kind == MediaKind::video);
    CHECK(detect_media(std::string("\0\0\0\x14"
                                   "ftypqt  \0\0\0\0qt  ",
                                   20))
              .mime == "video/quicktime");
    CHECK(detect_media(std::string("RIFF\0\0\0\0AVI LIST", 16)).mime == "video/x-msvideo");
    CHECK(detect_media("\x1A\x45\xDF\xA3\x01\x00\x00\x00").mime == "video/x-matroska");
    std::string bmp("BM", 2);
    bmp += std::string(12, '\0');
    bmp += std::string("\x28\0\0\0\x80\0\0\0\x40\0\0\0", 12);
    CHECK(detect_media(bmp).mime == "image/bmp");
    CHECK(detect_media(bmp).width == 128);
    CHECK(detect_media("<x:xmpmeta>").kind == MediaKind::none);
    CHECK(detect_media("").kind == MediaKind::none);
    CHECK(detect_media(std::string("\0\0\0\x18"
                                   "ftypM4A \0\0\0\0",
                                   16))
              .kind == MediaKind::none);
}

TEST_CASE("PKCE S256 matches RFC 7636 appendix B") {
    CHECK(pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("loopback redirect URIs") {
    CHECK(is_loopback_redirect("http://127.0.0.1:8080"));
    CHECK(is_loopback_redirect("http://127.0.0.1:8080/cb"));
    CHECK(is_loopback_redirect("http://localhost:1/"));
    CHECK(is_loopback_redirect("http://[::1]:9000"));
    CHECK_FALSE(is_loopback_redirect("https://example.com/cb"));
    CHECK_FALSE(is_loopback_redirect("http://127.0.0.2:80"));
    CHECK_FALSE(is_loopback_redirect("urn:ietf:wg:oauth:2.0:oob"));
}

TEST_CASE("query parsing and percent decoding") {
    std::string path;
    QueryParams q;
    split_target("/v1/mediaItems:batchGet?mediaItemIds=a&mediaItemIds=b%2Bc&x=1+2", path, q);
    CHECK(path == "/v1/mediaItems:batchGet");
    REQUIRE(q.size() == 3);
    CHECK(q[1].second == "b+c");
    CHECK(q[2].second == "1 2");
    split_target("https://photoslibrary.googleapis.com/v1/albums", path, q);
    CHECK(path == "/v1/albums");
}

TEST_CASE("id shapes") {
    IdGenerator ids;
    const auto a = ids.album_id("u@example.com");
    const auto m = ids.media_item_id("u@example.com");
    CHECK(a.size() == 76);
    CHECK(m.size() == 98);
    CHECK(a.substr(0, 12) == m.substr(0, 12));
    for (char c : a + m)
        CHECK(is_base64url_char(c));
    CHECK(looks_like_upload_token(ids.upload_token()));
    CHECK_FALSE(looks_like_upload_token("CAISshort"));
}

TEST_CASE("page tokens round-trip and reject tampering") {
    const std::string t = encode_page_token({"abc", 10, 20});
    const auto c = decode_page_token(t);
    REQUIRE(c);
    CHECK(c->offset == 20);
    CHECK(c->snapshot == 10);
    CHECK_FALSE(decode_page_token("garbage"));
    std::string bad = t;
    bad[3] = bad[3] == 'A' ? 'B' : 'A';
    CHECK_FALSE(decode_page_token(bad));
    CHECK(resolve_page_size(0, 25, 100).value == 25);
    CHECK(resolve_page_size(500, 25, 100).value == 100);
    CHECK_FALSE(resolve_page_size(-1, 25, 100).ok);
}

TEST_CASE("fault specs and endpoint scopes") {
    const FaultRule r =
        parse_fault_spec("kind=error,status=503,endpoint=batchCreate,count=2,rate=0.5");
    CHECK(r.status == 503);
    CHECK(r.count == 2);
    CHECK(r.rate == Approx(0.5));
    CHECK(endpoint_matches("batchCreate", "mediaItems.batchCreate"));
    CHECK(endpoint_matches("uploads", "uploads.raw"));
    CHECK(endpoint_matches("*", "albums.list"));
    CHECK_FALSE(endpoint_matches("uploads", "albums.create"));
    CHECK_THROWS(parse_fault_spec("kind=nope"));
    const FaultRule huge = parse_fault_spec("kind=huge_body,endpoint=albums.list,body_bytes=1024");
    CHECK(huge.kind == FaultKind::huge_body);
    CHECK(huge.body_bytes == 1024);

    Faults f(42);
    FaultRule once;
    once.kind = FaultKind::error;
    once.status = 500;
    once.count = 1;
    once.skip = 1;
    f.add(once);
    CHECK(f.decide("albums.list").error_status == 0);  // skipped
    CHECK(f.decide("albums.list").error_status == 500);
    CHECK(f.decide("albums.list").error_status == 0);  // count used up
}

TEST_CASE("seeded fault rates are deterministic") {
    auto run = [] {
        Faults f(7);
        FaultRule r;
        r.rate = 0.3;
        f.add(r);
        std::string s;
        for (int i = 0; i < 64; ++i)
            s.push_back(f.decide("x").error_status ? '1' : '0');
        return s;
    };
    CHECK(run() == run());
    CHECK(run().find('1') != std::string::npos);
}

TEST_CASE("RFC 3339 formatting and parsing") {
    const auto t = parse_rfc3339("2014-10-02T15:01:23Z");
    REQUIRE(t);
    CHECK(to_rfc3339(*t) == "2014-10-02T15:01:23Z");
    CHECK(parse_rfc3339("2014-10-02T17:01:23.5+02:00") == t);
    CHECK_FALSE(parse_rfc3339("yesterday"));
}

TEST_CASE("discovery schema validation") {
    Schemas s;
    CHECK_FALSE(
        s.validate(nlohmann::json::parse(R"({"album":{"title":"x"}})"), "CreateAlbumRequest"));
    const auto e =
        s.validate(nlohmann::json::parse(R"({"album":{"titel":"x"}})"), "CreateAlbumRequest");
    REQUIRE(e);
    CHECK(e->find("Unknown name \"titel\" at 'album'") != std::string::npos);
    CHECK(s.validate(nlohmann::json::parse(R"({"pageSize":"abc"})"), "SearchMediaItemsRequest"));
    CHECK_FALSE(
        s.validate(nlohmann::json::parse(R"({"pageSize":"10"})"), "SearchMediaItemsRequest"));
    CHECK(s.validate(nlohmann::json::parse(R"({"albumPosition":{"position":"MIDDLE"}})"),
                     "BatchCreateMediaItemsRequest"));
}

TEST_CASE("gzip and Accept-Encoding") {
    CHECK(accepts_gzip("gzip, deflate, br"));
    CHECK(accepts_gzip("deflate, gzip;q=0.5"));
    CHECK_FALSE(accepts_gzip("gzip;q=0"));
    CHECK_FALSE(accepts_gzip("identity"));
    const std::string z = gzip_compress(std::string(1000, 'a'));
    CHECK(z.size() < 100);
    CHECK(static_cast<unsigned char>(z[0]) == 0x1f);
}

TEST_CASE("hash pipeline equals direct hashing for any feed pattern") {
    const std::string data = emu_test::random_bytes(5 * HashPipeline::kSlotBytes + 12345, 11);
    Sha256 target;
    {
        HashPipeline p(target);
        std::size_t off = 0, step = 1;
        while (off < data.size()) {
            const std::size_t n = std::min(step, data.size() - off);
            p.feed(data.data() + off, n);
            off += n;
            step = step * 3 + 7;  // tiny, odd and larger-than-a-slot pieces
            if (off > data.size() / 2 && off < data.size() / 2 + 100)
                p.drain();
        }
        p.drain();
        CHECK(target.hex() == emu_test::sha256_hex(data));
    }
    Sha256 empty;
    { HashPipeline idle(empty); }
    CHECK(empty.hex() == emu_test::sha256_hex(""));
}
