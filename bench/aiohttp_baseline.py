#!/usr/bin/python3
"""The baseline photosync is measured against: the uploader from the asyncio
talk photosync grew from, written the way that talk wrote it.

For every file of a folder, at once (asyncio.gather): read the file whole,
POST it as a raw upload, then one mediaItems.batchCreate for that one item
into the album. aiohttp's default connector (at most 100 connections).

Usage: aiohttp_baseline.py API_URL CA_FILE ACCESS_TOKEN FOLDER ALBUM_TITLE
Prints one JSON object: files, ok, failed, seconds, files_per_s, bytes.
Needs Debian's python3-aiohttp (hence /usr/bin/python3).
"""
import asyncio
import json
import os
import ssl
import sys
import time

import aiohttp


async def upload_one(session, api, headers, album_id, path):
    with open(path, "rb") as f:
        data = f.read()  # the whole file in memory, as the talk did
    name = os.path.basename(path)
    up_headers = dict(headers)
    up_headers.update({"Content-Type": "application/octet-stream",
                       "X-Goog-Upload-Content-Type": "image/jpeg",
                       "X-Goog-Upload-File-Name": name,
                       "X-Goog-Upload-Protocol": "raw"})
    async with session.post(f"{api}/v1/uploads", data=data, headers=up_headers) as r:
        if r.status != 200:
            return False
        token = await r.text()
    body = {"albumId": album_id,
            "newMediaItems": [{"simpleMediaItem": {"uploadToken": token, "fileName": name}}]}
    async with session.post(f"{api}/v1/mediaItems:batchCreate", json=body, headers=headers) as r:
        if r.status != 200:
            return False
        reply = await r.json()
    status = reply["newMediaItemResults"][0].get("status", {})
    return status.get("code", 0) == 0


async def main():
    api, ca_file, access_token, folder, title = sys.argv[1:6]
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs)
    headers = {"Authorization": "Bearer " + access_token}
    ctx = ssl.create_default_context(cafile=ca_file)
    start = time.perf_counter()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=ctx)) as session:
        async with session.post(f"{api}/v1/albums", json={"album": {"title": title}},
                                headers=headers) as r:
            album_id = (await r.json())["id"]
        results = await asyncio.gather(
            *(upload_one(session, api, headers, album_id, p) for p in files),
            return_exceptions=True)
    seconds = time.perf_counter() - start
    ok = sum(1 for r in results if r is True)
    print(json.dumps({"files": len(files), "ok": ok, "failed": len(files) - ok,
                      "seconds": seconds, "files_per_s": ok / seconds,
                      "bytes": sum(os.path.getsize(p) for p in files)}))


if __name__ == "__main__":
    asyncio.run(main())
