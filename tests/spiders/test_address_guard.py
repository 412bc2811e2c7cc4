"""A hostile feed cannot steer the crawler at internal services (cloud metadata, intranet, localhost)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiders.address_guard import is_internal_host
from tests.crawl_helper import run_crawl
from tests.servers import NewsSite, article_html, rss_feed


@pytest.mark.parametrize(("host", "internal"), [
    ("169.254.169.254", True), ("10.1.2.3", True), ("192.168.0.1", True), ("127.0.0.1", True), ("[::1]", True),
    ("localhost", True), ("intranet.localhost", True), ("0.0.0.0", True), ("fd00::1", True),  # noqa: S104
    ("8.8.8.8", False), ("example.org", False), ("2001:4860:4860::8888", False),
])
def test_internal_hosts_are_recognised(host, internal):
    assert is_internal_host(host) is internal


def test_links_to_internal_addresses_are_refused_but_the_sources_own_host_is_fine(news_site: NewsSite,
                                                                                   tmp_path: Path):
    site = news_site
    site.add_robots("User-agent: *\nAllow: /\n")
    site.add_page("/news/ok.html", article_html("A real story", "Body of the real story."))
    entries = [("/news/ok.html", "A real story", None),
               ("http://169.254.169.254/latest/meta-data/", "Metadata", None),
               (f"http://localhost:{site.port}/news/ok.html", "Same server, other name", None),
               ("http://10.0.0.7/admin", "Intranet", None)]
    site.add_page("/feed.xml", rss_feed(site.url(), entries), content_type="application/rss+xml")
    result = run_crawl(tmp_path, [{"name": "site", "url": site.url("/feed.xml"), "type": "feed", "interval": 60}])
    assert result.urls() == [site.url("/news/ok.html")]
    assert result.stat("site", "monitor/errors/internal_address") == 3
    assert site.count("/news/ok.html") == 1  # the localhost alias never reached the server
