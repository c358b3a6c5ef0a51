"""The pages in a real browser: Playwright driving the system's Chromium (Debian's
``chromium`` package; never a browser Playwright downloads) against a live ``kg serve``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import LiveServer, write_articles
from test_pages import add_eve, ingest

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium"),
                             shutil.which("chromium-browser")) if p and Path(p).exists()), None)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary (Debian: apt-get install chromium)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("browser")
    store = folder / "store"
    ingest(store, write_articles(folder / "articles"))
    add_eve(store)
    live = LiveServer(store)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM,
                                              args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object, server: LiveServer) -> Iterator[object]:
    """A fresh page that records every request leaving the server and every JS error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.outside = []
    tab.errors = []
    tab.on("request", lambda r: None if r.url.startswith(server.url) or r.url.startswith(
        ("data:", "blob:", "about:")) else tab.outside.append(r.url))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


QUERY = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
         "SELECT ?name WHERE { ?p a <http://schema.org/Person> ; rdfs:label ?name } "
         "ORDER BY ?name")


def test_the_query_page_runs_a_query_and_shows_the_table(page: object, server: LiveServer
                                                         ) -> None:
    page.goto(server.url + "/")
    page.wait_for_selector(".CodeMirror")
    page.evaluate("query => window.newskgYasgui.getTab().getYasqe().setValue(query)", QUERY)
    page.click(".yasqe_queryButton")
    cells = page.locator(".yasr table tbody td")
    cells.filter(has_text="Tomas Reyes").first.wait_for(timeout=15000)
    text = page.locator(".yasr table tbody").inner_text()
    assert "Anna Berg" in text and "Lina Okafor" in text
    assert "Eve <script>alert('x')</script> Smith" in text  # shown as text, not run
    # the named queries are tabs that run at /queries/NAME with example parameters
    page.click("text=Posts of a person")
    assert page.evaluate("window.newskgYasgui.getTab().getEndpoint()") == \
        server.url + "/queries/posts-of-person?name=Zas"
    assert page.outside == [] and page.errors == []


def test_an_entity_page_shows_its_facts_and_pictures_and_links_on(page: object,
                                                                   server: LiveServer) -> None:
    page.goto(server.url + "/id/person/anna-berg")
    assert page.locator("h1").inner_text() == "Anna Berg"
    assert "Secretary General" in page.locator("#posts").inner_text()
    assert "Anna Berg, Secretary General of the Council of Lakes" in \
        page.locator("#posts").inner_text()
    page.wait_for_selector("#graph[data-rendered]")
    assert int(page.get_attribute("#graph", "data-rendered")) >= 5
    painted = page.evaluate("""() => {
        const canvases = [...document.querySelectorAll('#graph canvas')];
        return canvases.some(c => {
            if (!c.width || !c.height) return false;
            const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) return true;
            return false;
        });
    }""")
    assert painted, "the neighbourhood graph drew nothing"
    bars = page.locator("#timeline svg rect")
    assert bars.count() >= 3
    assert page.locator("#timeline svg").bounding_box()["height"] > 40
    assert page.errors == [] and page.outside == []

    page.locator("#events a", has_text="Tomas Reyes").first.click()
    page.wait_for_url(server.url + "/id/person/tomas-reyes")
    assert page.locator("h1").inner_text() == "Tomas Reyes"
    # a node of the picture leads to its page as well
    page.evaluate("window.newskgGraph.$(\"node[label = 'Lina Okafor']\").emit('tap')")
    page.wait_for_url(server.url + "/id/person/lina-okafor")
    assert "Chair" in page.locator("#posts").inner_text()


def test_search_from_the_box_leads_to_the_entity(page: object, server: LiveServer) -> None:
    page.goto(server.url + "/id/person/anna-berg")
    page.fill("header .search input", "smithers")
    page.press("header .search input", "Enter")
    page.wait_for_url("**/search?q=smithers")
    page.click(".hits a")
    page.wait_for_url(server.url + "/id/person/eve-smith")
    assert page.locator("h1").inner_text() == "Eve <script>alert('x')</script> Smith"
    assert page.errors == []
