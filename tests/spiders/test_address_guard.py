"""A hostile feed cannot steer the crawler at internal services (cloud metadata, intranet, localhost)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiders.address_guard import embedded_ipv4, is_internal_host, parse_address, parse_ipv4
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


# Numeric spellings the C resolver accepts (issue 15): each is the metadata address or loopback.
METADATA_SPELLINGS = ["2852039166", "0xa9fea9fe", "0xA9FEA9FE", "0251.0376.0251.0376", "169.254.43518",
                      "0xa9.0xfe.0xa9.0xfe", "169.254.169.254.", "[::ffff:169.254.169.254]", "[::ffff:a9fe:a9fe]",
                      "[::169.254.169.254]", "[2002:a9fe:a9fe::1]", "[64:ff9b::a9fe:a9fe]"]
LOOPBACK_SPELLINGS = ["2130706433", "0x7f000001", "0177.0.0.1", "017700000001", "127.1", "0x7f.1", "127.0.1",
                      "127.0.0.1.", "0", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]"]


@pytest.mark.parametrize("host", METADATA_SPELLINGS + LOOPBACK_SPELLINGS)
def test_every_numeric_spelling_of_an_internal_address_is_internal(host):
    assert is_internal_host(host)
    address = parse_address(host)
    assert address is not None
    inner = embedded_ipv4(address) if address.version == 6 else address
    assert str(inner) in ("169.254.169.254", "127.0.0.1", "0.0.0.0")  # noqa: S104


@pytest.mark.parametrize("host", ["8.8.8.8", "134744072", "0x8080808", "[::ffff:8.8.8.8]", "example.org",
                                  "4294967296", "1.2.3.4.5", "08.1.1.1", "2130706433.example.org"])
def test_public_addresses_and_names_are_not_internal(host):
    assert not is_internal_host(host)


def test_ipv4_parsing_agrees_with_the_c_library():
    """parse_ipv4 reads what inet_aton reads (where it reads anything at all)."""
    import random
    import socket

    rng = random.Random(15)
    forms = (lambda: str(rng.randint(0, 300)), lambda: hex(rng.randint(0, 70000)),
             lambda: "0" + oct(rng.randint(0, 400))[2:], lambda: str(rng.randint(0, 2**32 + 5)))
    for _ in range(5000):
        host = ".".join(rng.choice(forms)() for _ in range(rng.randint(1, 4)))
        try:
            expected = socket.inet_ntoa(socket.inet_aton(host))
        except OSError:
            expected = None
        parsed = parse_ipv4(host)
        assert (str(parsed) if parsed else None) == expected, host


RESOLVER = {"TWISTED_DNS_RESOLVER": "tests.resolver.LoopbackNames"}


def _feed_of_links(site: NewsSite, hosts: list[str]) -> list[str]:
    """Publish a feed on the site linking to /news/sN.html on each host; returns those paths."""
    paths = [f"/news/s{n}.html" for n in range(len(hosts))]
    entries = [("/news/ok.html", "A real story", None)]
    entries += [(f"http://{host}:{site.port}{path}", f"Spelling {host}", None)
                for host, path in zip(hosts, paths, strict=True)]
    site.add_page("/feed.xml", rss_feed(f"http://news.test:{site.port}", entries), content_type="application/rss+xml")
    for path in paths:
        site.add_page(path, article_html("Internal page", "Nothing here should ever be fetched."))
    return paths


def test_numeric_spellings_and_rebound_names_are_refused_before_any_connection(news_site: NewsSite, tmp_path: Path):
    site = news_site
    site.add_robots("User-agent: *\nAllow: /\n")
    site.add_page("/news/ok.html", article_html("A real story", "Body of the real story."))
    # rebind.test is a "public" name that resolves to 127.0.0.1 (through the test resolver): DNS rebinding.
    hosts = [*LOOPBACK_SPELLINGS, *METADATA_SPELLINGS, "rebind.test"]
    paths = _feed_of_links(site, hosts)
    source = {"name": "site", "url": f"http://news.test:{site.port}/feed.xml", "type": "feed", "interval": 60}
    result = run_crawl(tmp_path, [source], overrides=RESOLVER)
    assert result.urls() == [f"http://news.test:{site.port}/news/ok.html"]
    assert result.stat("site", "monitor/errors/internal_address") == len(hosts)
    assert [p for p in paths if site.count(p)] == []  # none reached the server, not even for robots.txt
    assert sorted(set(site.paths())) == ["/feed.xml", "/news/ok.html", "/robots.txt"]
    assert "rebind.test: it resolves to the internal address 127.0.0.1" in result.log


def test_a_source_configured_on_a_numeric_or_internal_name_is_still_fetched(news_site: NewsSite, tmp_path: Path):
    site = news_site
    site.add_robots("User-agent: *\nAllow: /\n")
    site.add_page("/news/a.html", article_html("Story A", "Body of story A."))
    site.add_page("/news/b.html", article_html("Story B", "Body of story B."))
    site.add_page("/feed.xml", rss_feed(f"http://2130706433:{site.port}", [
        ("/news/a.html", "Story A", None), (f"http://127.0.0.1:{site.port}/news/b.html", "Story B", None)]),
        content_type="application/rss+xml")
    sources = [{"name": "decimal", "url": f"http://2130706433:{site.port}/feed.xml", "type": "feed", "interval": 60},
               {"name": "intranet", "url": f"http://intranet.test:{site.port}/news/a.html", "type": "page",
                "interval": 60}]
    result = run_crawl(tmp_path, sources, overrides=RESOLVER)
    assert result.urls() == [f"http://127.0.0.1:{site.port}/news/b.html", f"http://2130706433:{site.port}/news/a.html",
                             f"http://intranet.test:{site.port}/news/a.html"]
    assert result.stat("decimal", "monitor/errors/internal_address") == 0
    assert result.stat("intranet", "monitor/errors/internal_address") == 0
