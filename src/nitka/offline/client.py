"""Talking to the server a copy comes from: signed pages in, checks out."""

from __future__ import annotations

from typing import Any

import httpx

from nitka.offline.wire import SIGNATURE_HEADER, OfflineError, verified

PURPOSE = "offline copy of the watch lists"
TIMEOUT = 120.0


class Server:
    """The server of a copy, reached with an account's API token."""

    def __init__(self, url: str, token: str, key: str | None = None) -> None:
        self.url = url.rstrip("/")
        self.key = key
        """The server's public key (hex) pages are checked with; None until the first page."""
        self._client = httpx.Client(
            base_url=self.url,
            timeout=TIMEOUT,
            headers={"Authorization": f"Bearer {token}", "X-Nitka-Purpose": PURPOSE},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def page(
        self, path: str, params: dict[str, Any], **expected: Any
    ) -> tuple[dict[str, Any], str]:
        """A signed page and its signature, checked with ``key``: refused if it does
        not verify or is not the page asked for."""
        response = self._get(path, params)
        assert self.key is not None, "the server's key comes with the first page"
        signature = response.headers.get(SIGNATURE_HEADER, "")
        return verified(response.content, signature, self.key, **expected), signature

    def start(self) -> tuple[bytes, str]:
        """The first page of a pull, as sent, and its signature (the key is in it)."""
        response = self._get("/offline/start", {})
        return response.content, response.headers.get(SIGNATURE_HEADER, "")

    def upload(self, copy_id: str, checks: list[dict[str, Any]]) -> dict[str, Any]:
        """Send checks made on the copy; the server stores each once."""
        try:
            response = self._client.post(
                "/offline/checks", json={"copy": copy_id, "checks": checks}
            )
        except httpx.TransportError as error:
            raise OfflineError(f"cannot reach {self.url}: {error}", field="url") from None
        _raise_for(response)
        answer: dict[str, Any] = response.json()
        return answer

    def _get(self, path: str, params: dict[str, Any]) -> httpx.Response:
        try:
            response = self._client.get(path, params=params)
        except httpx.TransportError as error:
            raise OfflineError(f"cannot reach {self.url}: {error}", field="url") from None
        _raise_for(response)
        return response


def _raise_for(response: httpx.Response) -> None:
    if response.status_code < 400:
        return
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = None
    if isinstance(detail, dict):
        message, field = str(detail.get("error")), str(detail.get("field") or "server")
    else:
        message, field = str(detail or response.text[:200]), "server"
    if response.status_code == 401:
        field = "token"
    raise OfflineError(f"the server answered {response.status_code}: {message}", field=field)
