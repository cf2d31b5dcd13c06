"""Behind CloudFront the server sees the origin's name as Host, while pages come from the distribution's name."""

from pathlib import Path

from app.core.security import origin_allowed

from .conftest import make_settings


def test_the_public_urls_origin_may_send_credentials_though_the_host_differs(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, public_url="https://d111.cloudfront.net", allowed_origins="")
    assert settings.page_origins == ["https://d111.cloudfront.net"]
    host = "origin.example.com"
    assert origin_allowed("https://d111.cloudfront.net", host, settings.page_origins)
    assert not origin_allowed("https://evil.example", host, settings.page_origins)
    assert not origin_allowed("http://d111.cloudfront.net", host, settings.page_origins)


def test_without_a_public_url_only_the_allowed_origins_and_the_host(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, allowed_origins="https://app.example.com")
    assert settings.page_origins == ["https://app.example.com"]
    assert origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000", settings.page_origins)
