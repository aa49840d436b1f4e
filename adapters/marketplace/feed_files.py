"""Feed files on local disk (MARKETPLACE_UPLOAD_DIR): uploads copied in chunks and URLs
downloaded with httpx, both counting bytes against the size limit as they flow, so an oversize
file is refused without ever being held whole. A file is written to ``<key>.part`` and renamed
when complete: a crash never leaves a truncated file that looks finished."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx

from domain.marketplace.model import FeedUnavailable, FileTooLarge
from domain.shared.errors import ValidationFailed

CHUNK = 1 << 20


class LocalFeedFiles:
    def __init__(self, root: str | Path, *, allow_http: bool = False) -> None:
        self.root = Path(root)
        self.allow_http = allow_http

    def path(self, key: str) -> Path:
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise ValueError(f"bad feed file key {key!r}")
        return self.root / f"{key}.feed"

    def _write(self, key: str, chunks, max_bytes: int) -> int:  # type: ignore[no-untyped-def]
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        size = 0
        try:
            with partial.open("wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileTooLarge.over(max_bytes)
                    out.write(chunk)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return size

    def save(self, key: str, stream: BinaryIO, *, max_bytes: int) -> int:
        return self._write(key, iter(lambda: stream.read(CHUNK), b""), max_bytes)

    def check_url(self, url: str) -> None:
        scheme = urlsplit(url).scheme.lower()
        allowed = ("https", "http") if self.allow_http else ("https",)
        if scheme not in allowed or not urlsplit(url).hostname:
            raise ValidationFailed.for_field("url", f"only {' or '.join(s + '://' for s in allowed)} feed URLs "
                                             "are accepted")

    def fetch(self, key: str, url: str, *, max_bytes: int, timeout: float) -> int:
        self.check_url(url)
        try:
            with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True, max_redirects=5) as client:
                with client.stream("GET", url) as response:
                    if response.status_code != 200:
                        raise FeedUnavailable(f"the feed URL answered HTTP {response.status_code}", url=url)
                    if str(response.url) != url:  # no redirect from https down to http
                        try:
                            self.check_url(str(response.url))
                        except ValidationFailed:
                            raise FeedUnavailable(f"the feed URL redirected to {response.url}", url=url) from None
                    declared = response.headers.get("content-length")
                    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                        raise FileTooLarge.over(max_bytes)
                    return self._write(key, response.iter_bytes(CHUNK), max_bytes)
        except httpx.TimeoutException:
            raise FeedUnavailable(f"the feed URL did not answer within {timeout:g} s", url=url) from None
        except httpx.HTTPError as exc:
            raise FeedUnavailable(f"the feed URL could not be fetched: {exc}", url=url) from None

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def remove(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)
