"""The one rule for what is this machine's: reply addresses no parser can read two ways."""

from __future__ import annotations

import pytest

from bot.loopback import local_service_url


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:3978/", "https://localhost:8443/teams/", "http://[::1]:3978/"],
)
def test_an_address_on_this_machine_is_local(url: str) -> None:
    assert local_service_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example\\@127.0.0.1:3978/",
        "http://evil.example@127.0.0.1:3978/",
        "http://127.0.0.1:3978\\@evil.example/",
        "gopher://127.0.0.1:5432/",
        "file:///etc/passwd",
        "http://127.0.0.1.evil.example/",
        "http://127.0.0.1:3978/\n",
        "https://example.org/",
        "",
        "None",
    ],
)
def test_an_address_two_parsers_could_read_apart_is_not(url: str) -> None:
    assert not local_service_url(url)
