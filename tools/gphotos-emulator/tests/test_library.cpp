// Library endpoints: albums, batchCreate (every per-item and whole-request
// error of the reference), search/list/get/batchGet, batchAdd/Remove, patch.
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <thread>

#include "harness.hpp"

using namespace emu_test;

namespace {

std::vector<std::string> upload_n(Emulator& emu, const std::string& tok, int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i)
        out.push_back(emu.upload_raw(tok, jpeg_bytes(1000 + static_cast<std::size_t>(i)),
                                     "IMG_" + std::to_string(i) + ".JPG"));
    return out;
}

json results(const Reply& r) {
    REQUIRE(r.status == 200);
    return r.json_body()["newMediaItemResults"];
}

}  // namespace

TEST_CASE("albums: create, get, list with paging") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const Reply c = emu.api("POST", "/v1/albums", tok, R"({"album":{"title":"Trip"}})");
    REQUIRE(c.status == 200);
    const json a = c.json_body();
    CHECK(a["id"].get<std::string>().size() == 76);
    CHECK(a["title"] == "Trip");
    CHECK(a["isWriteable"] == true);
    CHECK(a["productUrl"] == "https://photos.google.com/lr/album/" + a["id"].get<std::string>());
    CHECK_FALSE(a.contains("mediaItemsCount"));  // proto3: zero is omitted

    const Reply g = emu.api("GET", "/v1/albums/" + a["id"].get<std::string>(), tok);
    CHECK(g.json_body() == a);
    CHECK(emu.api("GET", "/v1/albums/ALnope", tok).status == 404);

    for (int i = 0; i < 59; ++i)
        emu.create_album(tok, "A" + std::to_string(i));
    // Default page 20, max 50.
    const json p1 = emu.api("GET", "/v1/albums", tok).json_body();
    CHECK(p1["albums"].size() == 20);
    std::set<std::string> seen;
    std::string page = "/v1/albums?pageSize=500";
    int pages = 0;
    for (;;) {
        const json p = emu.api("GET", page, tok).json_body();
        CHECK(p["albums"].size() <= 50);
        for (const auto& al : p["albums"])
            seen.insert(al["id"].get<std::string>());
        ++pages;
        if (!p.contains("nextPageToken"))
            break;
        page = "/v1/albums?pageSize=500&pageToken=" + p["nextPageToken"].get<std::string>();
    }
    CHECK(pages == 2);
    CHECK(seen.size() == 60);
    CHECK(emu.api("GET", "/v1/albums?pageToken=bogus", tok).status == 400);
    CHECK(emu.api("GET", "/v1/albums?pageSize=abc", tok).status == 400);

    SECTION("validation") {
        CHECK(emu.api("POST", "/v1/albums", tok, R"({"album":{"title":""}})").status == 400);
        CHECK(emu.api("POST", "/v1/albums", tok,
                      json{{"album", {{"title", std::string(501, 'x')}}}}.dump())
                  .status == 400);
        const Reply unknown = emu.api("POST", "/v1/albums", tok, R"({"album":{"name":"x"}})");
        CHECK(unknown.status == 400);
        CHECK(unknown.json_body()["error"]["message"].get<std::string>().find("Unknown name") !=
              std::string::npos);
        CHECK(emu.api("POST", "/v1/albums", tok, "{not json").status == 400);
    }
}

TEST_CASE("batchCreate: success shape, filenames, album membership, order") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string album = emu.create_album(tok, "Trip");
    const std::string t1 = emu.upload_raw(tok, jpeg_bytes(), "FROM_HEADER.JPG");
    const std::string t2 = emu.upload_raw(tok, png_bytes(), "HEADER2.PNG");
    const std::string t3 = emu.upload_raw(tok, mp4_bytes());  // no name at all
    json body{{"albumId", album},
              {"newMediaItems",
               {{{"description", "caption"}, {"simpleMediaItem", {{"uploadToken", t1}}}},
                {{"simpleMediaItem", {{"uploadToken", t2}, {"fileName", "override.png"}}}},
                {{"simpleMediaItem", {{"uploadToken", t3}}}}}}};
    const json res = results(emu.api("POST", "/v1/mediaItems:batchCreate", tok, body.dump()));
    REQUIRE(res.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(res[i]["status"] == json{{"message", "Success"}});  // no "code" field
        CHECK(res[i]["uploadToken"] == body["newMediaItems"][i]["simpleMediaItem"]["uploadToken"]);
        CHECK(res[i]["mediaItem"]["id"].get<std::string>().size() == 98);
    }
    const json m1 = res[0]["mediaItem"];
    CHECK(m1["filename"] == "FROM_HEADER.JPG");
    CHECK(m1["description"] == "caption");
    CHECK(m1["mimeType"] == "image/jpeg");
    CHECK(m1["mediaMetadata"]["width"] == "1024");  // int64 as string
    CHECK(m1["mediaMetadata"]["height"] == "768");
    CHECK(m1["mediaMetadata"]["photo"] == json::object());
    CHECK(m1["mediaMetadata"]["creationTime"].get<std::string>().ends_with("Z"));
    CHECK(m1["productUrl"].get<std::string>().starts_with("https://photos.google.com/lr/photo/"));
    CHECK(m1["baseUrl"].get<std::string>().starts_with("https://lh3.googleusercontent.com/"));
    CHECK(res[1]["mediaItem"]["filename"] == "override.png");
    CHECK(res[2]["mediaItem"]["mimeType"] == "video/mp4");
    CHECK(res[2]["mediaItem"]["mediaMetadata"]["video"]["status"] == "READY");
    const std::string dated = res[2]["mediaItem"]["filename"];
    CHECK(dated.size() == 14);  // 2026-11-24.mp4
    CHECK(dated.ends_with(".mp4"));

    const json al = emu.api("GET", "/v1/albums/" + album, tok).json_body();
    CHECK(al["mediaItemsCount"] == "3");
    CHECK(al["coverPhotoMediaItemId"] == m1["id"]);
    const json s =
        emu.api("POST", "/v1/mediaItems:search", tok, json{{"albumId", album}}.dump()).json_body();
    REQUIRE(s["mediaItems"].size() == 3);
    for (std::size_t i = 0; i < 3; ++i)
        CHECK(s["mediaItems"][i]["id"] == res[i]["mediaItem"]["id"]);

    SECTION("albumPosition FIRST_IN_ALBUM keeps request order at the front") {
        const auto ts = upload_n(emu, tok, 2);
        json b{{"albumId", album},
               {"albumPosition", {{"position", "FIRST_IN_ALBUM"}}},
               {"newMediaItems",
                {{{"simpleMediaItem", {{"uploadToken", ts[0]}}}},
                 {{"simpleMediaItem", {{"uploadToken", ts[1]}}}}}}};
        const json r2 = results(emu.api("POST", "/v1/mediaItems:batchCreate", tok, b.dump()));
        const json s2 =
            emu.api("POST", "/v1/mediaItems:search", tok, json{{"albumId", album}}.dump())
                .json_body();
        CHECK(s2["mediaItems"][0]["id"] == r2[0]["mediaItem"]["id"]);
        CHECK(s2["mediaItems"][1]["id"] == r2[1]["mediaItem"]["id"]);
        CHECK(s2["mediaItems"][2]["id"] == res[0]["mediaItem"]["id"]);
    }
    SECTION("albumPosition without albumId is a bad request") {
        const auto ts = upload_n(emu, tok, 1);
        json b{{"albumPosition", {{"position", "LAST_IN_ALBUM"}}},
               {"newMediaItems", {{{"simpleMediaItem", {{"uploadToken", ts[0]}}}}}}};
        CHECK(emu.api("POST", "/v1/mediaItems:batchCreate", tok, b.dump()).status == 400);
    }
}

TEST_CASE("batchCreate: per-item failures inside HTTP 200") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string good = emu.upload_raw(tok, jpeg_bytes());
    const std::string xmp = emu.upload_raw(tok, "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>", "a.xmp");
    const std::string empty = emu.upload_raw(tok, "", "empty.jpg");
    std::string unknown = good;
    unknown[10] = unknown[10] == 'A' ? 'B' : 'A';
    const json res = results(emu.batch_create(tok, {good, xmp, empty, unknown, good}));
    REQUIRE(res.size() == 5);
    CHECK(res[0]["status"]["message"] == "Success");
    CHECK(res[1]["status"]["code"] == 3);
    CHECK(res[1]["status"]["message"].get<std::string>().starts_with("BAD_IMAGE"));
    CHECK_FALSE(res[1].contains("mediaItem"));
    CHECK(res[2]["status"]["code"] == 3);
    CHECK(res[3]["status"]["code"] == 3);
    CHECK(res[3]["status"]["message"] == "Invalid upload token.");
    CHECK(res[4]["status"]["message"] == "Upload token has already been used.");
    CHECK(emu.control("GET", "/mediaItems").size() == 1);

    SECTION("--allow-token-reuse turns reuse into duplicates") {
        Emulator dup({"--allow-token-reuse"});
        const std::string t = dup.access_token();
        const std::string u = dup.upload_raw(t, jpeg_bytes());
        const json r = results(dup.batch_create(t, {u, u}));
        CHECK(r[1]["status"]["message"] == "Success");
        CHECK(r[0]["mediaItem"]["id"] != r[1]["mediaItem"]["id"]);
    }
    SECTION("tokens of another user are invalid") {
        const std::string other =
            emu.control("POST", "/oauth/token", {{"user", "b@example.com"}})["access_token"];
        const std::string u = emu.upload_raw(tok, jpeg_bytes());
        CHECK(results(emu.batch_create(other, {u}))[0]["status"]["code"] == 3);
    }
}

TEST_CASE("batchCreate: whole-request errors") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string u = emu.upload_raw(tok, jpeg_bytes());
    SECTION("more than 50 items") {
        const Reply r = emu.batch_create(tok, std::vector<std::string>(51, u));
        CHECK(r.status == 400);
        CHECK(r.json_body()["error"]["message"] == "Request must have less than 50 items.");
        CHECK(r.json_body()["error"]["status"] == "INVALID_ARGUMENT");
        CHECK(r.json_body()["error"]["code"] == 400);
        // Exactly 50 is accepted (docs: max 50).
        CHECK(emu.batch_create(tok, std::vector<std::string>(50, u)).status == 200);
    }
    SECTION("--max-batch-items 49 models the literal 'less than 50'") {
        Emulator strict({"--max-batch-items", "49"});
        const std::string t = strict.access_token();
        CHECK(strict.batch_create(t, std::vector<std::string>(50, "x")).status == 400);
    }
    SECTION("missing or malformed upload token") {
        const Reply r = emu.batch_create(tok, {""});
        CHECK(r.status == 400);
        CHECK(r.json_body()["error"]["message"] == "Request must contain a valid upload token.");
        CHECK(emu.batch_create(tok, {"not-a-token"}).status == 400);
    }
    SECTION("album the app did not create") {
        const std::string foreign = emu.control("POST", "/albums", {{"title", "mine"}})["id"];
        const Reply r = emu.batch_create(tok, {u}, foreign);
        CHECK(r.status == 400);
        CHECK(r.json_body()["error"]["message"] ==
              "No permission to add media items to this album.");
        CHECK(emu.api("GET", "/v1/albums/" + foreign, tok).status == 404);
        const json list = emu.api("GET", "/v1/albums", tok).json_body();
        CHECK_FALSE(list.contains("albums"));
    }
    SECTION("unknown album") {
        CHECK(emu.batch_create(tok, {u}, "ALdoesnotexist").status == 400);
    }
    SECTION("empty request and long description") {
        CHECK(
            emu.api("POST", "/v1/mediaItems:batchCreate", tok, R"({"newMediaItems":[]})").status ==
            400);
        json b{{"newMediaItems",
                {{{"description", std::string(1000, 'd')},
                  {"simpleMediaItem", {{"uploadToken", u}}}}}}};
        CHECK(emu.api("POST", "/v1/mediaItems:batchCreate", tok, b.dump()).status == 400);
    }
}

TEST_CASE("album capacity") {
    Emulator emu({"--album-capacity", "3"});
    const std::string tok = emu.access_token();
    const std::string album = emu.create_album(tok, "small");
    CHECK(results(emu.batch_create(tok, upload_n(emu, tok, 3), album)).size() == 3);
    const Reply r = emu.batch_create(tok, upload_n(emu, tok, 1), album);
    CHECK(r.status == 400);
    CHECK(r.json_body()["error"]["message"].get<std::string>().find("at most 3") !=
          std::string::npos);
}

TEST_CASE("search, list, get, batchGet") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string album = emu.create_album(tok, "big");
    std::vector<std::string> ids;
    for (int b = 0; b < 3; ++b)
        for (const auto& r : results(emu.batch_create(tok, upload_n(emu, tok, 40), album)))
            ids.push_back(r["mediaItem"]["id"]);
    const std::string loose =
        results(emu.batch_create(tok, upload_n(emu, tok, 1)))[0]["mediaItem"]["id"];

    SECTION("search by album pages in album order, default 25, max 100") {
        json req{{"albumId", album}};
        const json p1 = emu.api("POST", "/v1/mediaItems:search", tok, req.dump()).json_body();
        CHECK(p1["mediaItems"].size() == 25);
        std::vector<std::string> got;
        req["pageSize"] = 1000;
        for (;;) {
            const json p = emu.api("POST", "/v1/mediaItems:search", tok, req.dump()).json_body();
            CHECK(p["mediaItems"].size() <= 100);
            for (const auto& m : p["mediaItems"])
                got.push_back(m["id"]);
            if (!p.contains("nextPageToken"))
                break;
            req["pageToken"] = p["nextPageToken"];
        }
        CHECK(got == ids);
    }
    SECTION("albumId and filters are mutually exclusive; bad page tokens fail") {
        json req{{"albumId", album},
                 {"filters", {{"mediaTypeFilter", {{"mediaTypes", {"PHOTO"}}}}}}};
        CHECK(emu.api("POST", "/v1/mediaItems:search", tok, req.dump()).status == 400);
        CHECK(emu.api("POST", "/v1/mediaItems:search", tok,
                      json{{"albumId", album}, {"pageToken", "xyz"}}.dump())
                  .status == 400);
        CHECK(emu.api("POST", "/v1/mediaItems:search", tok, json{{"albumId", "ALnope"}}.dump())
                  .status == 400);
        CHECK(emu.api("POST", "/v1/mediaItems:search", tok, json{{"orderBy", "x"}}.dump()).status ==
              400);
    }
    SECTION("filters") {
        json req{{"filters", {{"mediaTypeFilter", {{"mediaTypes", {"VIDEO"}}}}}}};
        const json v = emu.api("POST", "/v1/mediaItems:search", tok, req.dump()).json_body();
        CHECK_FALSE(v.contains("mediaItems"));  // empty results omit the array
        req = {{"filters", {{"mediaTypeFilter", {{"mediaTypes", {"PHOTO"}}}}}}, {"pageSize", 100}};
        const json p = emu.api("POST", "/v1/mediaItems:search", tok, req.dump()).json_body();
        CHECK(p["mediaItems"].size() == 100);
        CHECK(p.contains("nextPageToken"));
    }
    SECTION("list covers the whole library, newest first") {
        std::size_t n = 0;
        std::string target = "/v1/mediaItems?pageSize=100";
        std::string first;
        for (;;) {
            const json p = emu.api("GET", target, tok).json_body();
            if (first.empty())
                first = p["mediaItems"][0]["id"];
            n += p["mediaItems"].size();
            if (!p.contains("nextPageToken"))
                break;
            target =
                "/v1/mediaItems?pageSize=100&pageToken=" + p["nextPageToken"].get<std::string>();
        }
        CHECK(n == 121);
        CHECK(first == loose);
        const json d = emu.api("GET", "/v1/mediaItems", tok).json_body();
        CHECK(d["mediaItems"].size() == 25);
    }
    SECTION("get and batchGet") {
        CHECK(emu.api("GET", "/v1/mediaItems/" + ids[5], tok).json_body()["id"] == ids[5]);
        CHECK(emu.api("GET", "/v1/mediaItems/nope", tok).status == 404);
        const json bg = emu.api("GET",
                                "/v1/mediaItems:batchGet?mediaItemIds=" + ids[0] +
                                    "&mediaItemIds=bogus&mediaItemIds=" + ids[1],
                                tok)
                            .json_body();
        REQUIRE(bg["mediaItemResults"].size() == 3);
        CHECK(bg["mediaItemResults"][0]["mediaItem"]["id"] == ids[0]);
        CHECK(bg["mediaItemResults"][1]["status"]["code"] == 3);
        CHECK(bg["mediaItemResults"][2]["mediaItem"]["id"] == ids[1]);
        std::string many = "/v1/mediaItems:batchGet?";
        for (int i = 0; i < 51; ++i)
            many += "mediaItemIds=" + ids[static_cast<std::size_t>(i)] + "&";
        CHECK(emu.api("GET", many, tok).status == 400);
    }
}

TEST_CASE("batchAddMediaItems and batchRemoveMediaItems") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string a1 = emu.create_album(tok, "one");
    const std::string a2 = emu.create_album(tok, "two");
    std::vector<std::string> ids;
    for (const auto& r : results(emu.batch_create(tok, upload_n(emu, tok, 3), a1)))
        ids.push_back(r["mediaItem"]["id"]);
    const Reply add = emu.api("POST", "/v1/albums/" + a2 + ":batchAddMediaItems", tok,
                              json{{"mediaItemIds", ids}}.dump());
    CHECK(add.status == 200);
    CHECK(add.json_body() == json::object());
    CHECK(emu.api("GET", "/v1/albums/" + a2, tok).json_body()["mediaItemsCount"] == "3");

    const std::string foreign_item = emu.control("POST", "/mediaItems", json::object())["id"];
    const Reply bad = emu.api("POST", "/v1/albums/" + a2 + ":batchAddMediaItems", tok,
                              json{{"mediaItemIds", {ids[0], foreign_item}}}.dump());
    CHECK(bad.status == 400);
    CHECK(bad.json_body()["error"]["message"] == "Request contains an invalid media item id.");
    CHECK(emu.api("POST", "/v1/albums/" + a2 + ":batchAddMediaItems", tok,
                  json{{"mediaItemIds", std::vector<std::string>(51, ids[0])}}.dump())
              .status == 400);
    const std::string foreign_album = emu.control("POST", "/albums", json::object())["id"];
    CHECK(emu.api("POST", "/v1/albums/" + foreign_album + ":batchAddMediaItems", tok,
                  json{{"mediaItemIds", ids}}.dump())
              .json_body()["error"]["message"] ==
          "No permission to add media items to this album.");

    const Reply rm = emu.api("POST", "/v1/albums/" + a2 + ":batchRemoveMediaItems", tok,
                             json{{"mediaItemIds", {ids[1]}}}.dump());
    CHECK(rm.status == 200);
    CHECK(emu.api("GET", "/v1/albums/" + a2, tok).json_body()["mediaItemsCount"] == "2");
}

TEST_CASE("patch, enrichment, sharing") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string album = emu.create_album(tok, "old");
    const std::string id =
        results(emu.batch_create(tok, upload_n(emu, tok, 1), album))[0]["mediaItem"]["id"];
    const Reply pa =
        emu.api("PATCH", "/v1/albums/" + album + "?updateMask=title", tok, R"({"title":"new"})");
    CHECK(pa.status == 200);
    CHECK(pa.json_body()["title"] == "new");
    const Reply pm = emu.api("PATCH", "/v1/mediaItems/" + id + "?updateMask=description", tok,
                             R"({"description":"hello"})");
    CHECK(pm.json_body()["description"] == "hello");
    CHECK(emu.api("PATCH", "/v1/albums/" + album, tok, R"({"title":"x"})").status == 400);
    const Reply en = emu.api("POST", "/v1/albums/" + album + ":addEnrichment", tok,
                             R"({"newEnrichmentItem":{"textEnrichment":{"text":"hi"}},
                                 "albumPosition":{"position":"LAST_IN_ALBUM"}})");
    CHECK(en.status == 200);
    CHECK(en.json_body()["enrichmentItem"].contains("id"));
    const Reply sh = emu.api("POST", "/v1/albums/" + album + ":share", tok, "{}");
    CHECK(sh.status == 403);
    CHECK(sh.json_body()["error"]["status"] == "PERMISSION_DENIED");
    CHECK(emu.api("GET", "/v1/sharedAlbums", tok).status == 403);
}
