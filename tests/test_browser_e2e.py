"""End to end in a real headless Chromium (Debian's `chromium`, driven by Playwright's Python package):
the app served by `streamlit run` over a private copy of the indexed sample corpus answers the psykisk
hälsa question with 27 mnkr and its source, says "not found" honestly, draws the figures chart, and
makes an uploaded PDF searchable. Screenshots and timings go to test-artifacts/ (see README, "Appen").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_support import copy_data_dir, small_report_pdf
from pdf_factory import SCANNED_TEXT, image_pdf, page_image

sync_api = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("RAPPORTSOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PSYKISK_HALSA = "hur mycket fick regionen för psykisk hälsa 2020"
UNANSWERABLE = "Hur många ambulanshelikoptrar har Region Norrbotten?"
UPLOADED_SENTENCE = "Projektet Norrskensbryggan fick 3,5 mnkr i stöd för fjärrvärme under 2024."
TIMINGS: dict[str, float] = {}

pytestmark = [
    pytest.mark.slow,
    # CI (.ci/run) installs Chromium and sets RAPPORTSOK_REQUIRE_BROWSER=1: there a missing browser
    # fails the test instead of skipping it unnoticed.
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and os.environ.get("RAPPORTSOK_REQUIRE_BROWSER") != "1",
        reason="Chromium saknas (apt-get install chromium)",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit avslutades med kod {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} svarade inte inom {timeout} s")


@pytest.fixture(scope="module")
def app_url(
    corpus_engine, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[str]:
    """`rapportsok app` (streamlit run on the installed app with its shipped settings) on a free
    port over a copy of the indexed corpus, with an empty corpus folder for uploads."""
    root = tmp_path_factory.mktemp("e2e")
    data_dir = copy_data_dir(corpus_engine.data_dir, root / "data")
    (root / "corpus").mkdir()
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    env = {
        **os.environ,
        "RAPPORTSOK_DATA_DIR": str(data_dir),
        "RAPPORTSOK_CORPUS_DIR": str(root / "corpus"),
    }
    env.pop("RAPPORTSOK_ADMIN_PASSWORD", None)
    log = (ARTIFACTS / "streamlit.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rapportsok.app",
            "app",
            "--",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        (ARTIFACTS / "timings.json").write_text(json.dumps(TIMINGS, indent=2), encoding="utf-8")
        # Printed past pytest's output capture, so the numbers show in every run.
        with request.config.pluginmanager.get_plugin("capturemanager").global_and_fixture_disabled():
            print(f"\napp timings in seconds (test-artifacts/timings.json): {json.dumps(TIMINGS)}")


@pytest.fixture(scope="module")
def page(app_url: str) -> Iterator:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1280, "height": 1100},
            locale="sv-SE",
            permissions=["clipboard-read", "clipboard-write"],
        )
        tab = context.new_page()
        tab.set_default_timeout(60_000)
        sync_api.expect.set_options(timeout=60_000)
        started = time.perf_counter()
        tab.goto(app_url)
        tab.get_by_role("heading", name="Rapportsök").wait_for()
        tab.get_by_label("Ställ en fråga om rapporterna").wait_for()
        TIMINGS["first_render_s"] = round(time.perf_counter() - started, 3)  # usable: the question box
        tab.get_by_text("Sök och frågesvar i 5 rapporter").wait_for()
        TIMINGS["first_render_complete_s"] = round(time.perf_counter() - started, 3)  # index summary drawn
        yield tab
        browser.close()


def _screenshot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its own container, which `full_page` does not
    capture, so the viewport is stretched to the content for the shot."""
    size = page.viewport_size
    height = page.locator('[data-testid="stMainBlockContainer"]').evaluate("e => e.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height + 40)})
    page.wait_for_timeout(300)  # let the page lay itself out again
    page.screenshot(path=ARTIFACTS / name)
    page.set_viewport_size(size)


def _ask(page, question: str, shows) -> float:
    """Ask in the Fråga tab; returns seconds from the click until the locator `shows` is on screen."""
    page.get_by_role("tab", name="Fråga").click()
    page.get_by_label("Ställ en fråga om rapporterna").fill(question)
    started = time.perf_counter()
    page.get_by_role("button", name="Fråga", exact=True).click()
    shows.first.wait_for(timeout=120_000)
    return time.perf_counter() - started


def test_asks_in_the_browser_and_shows_figure_with_source(page) -> None:
    not_found = "Jag hittar ingen uppgift om ambulanshelikoptrar"
    started = time.perf_counter()
    page.get_by_text("✓ klar").wait_for(timeout=180_000)  # the models are loaded in the background
    TIMINGS["models_ready_s"] = round(time.perf_counter() - started, 3)
    TIMINGS["first_question_after_ready_s"] = round(_ask(page, UNANSWERABLE, page.get_by_text(not_found)), 3)
    sync_api.expect(page.locator(".rs-passage").first).to_be_visible()
    assert page.locator(".rs-figure").count() == 0

    alternatives = page.get_by_role("heading", name="Andra uppgifter i rapporterna")
    TIMINGS["answer_warm_s"] = round(_ask(page, PSYKISK_HALSA, alternatives), 3)
    card = page.locator(".rs-card")
    sync_api.expect(card.locator(".rs-figure")).to_have_text("27 mnkr")
    sync_api.expect(card).to_contain_text("Regiondirektörens rapport 5 maj 2021")
    sync_api.expect(card.locator("mark")).to_have_text("27 mnkr")
    # Alternatives: the planned 27,4 miljoner from another passage, labelled by its kind; never
    # parts or changes from the answer's own sentence.
    first_alternative = page.locator(".rs-alt").first
    sync_api.expect(first_alternative).to_contain_text("27,4 miljoner kronor")
    sync_api.expect(first_alternative).to_contain_text("planerat")
    answer_sentence = card.locator(".rs-sentence").inner_text()
    for alternative in page.locator(".rs-alt").all():
        assert alternative.locator("b").first.inner_text() not in answer_sentence

    # "Kopiera citat": plain text for an e-mail (no Markdown, no file names); a second button: Markdown.
    plain_frame = page.frame_locator("iframe").nth(0)
    plain_frame.get_by_role("button", name="Kopiera citat").click()
    sync_api.expect(plain_frame.get_by_text("Kopierat!")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    lines = copied.splitlines()
    assert lines[0] == "27 mnkr" and lines[1].startswith("”") and lines[1].endswith("”")
    assert lines[2].startswith("Källa: Region Norrbotten, Regiondirektörens rapport 5 maj 2021")
    assert "**" not in copied and "> " not in copied and ".txt" not in copied and "sidan" not in copied
    markdown_frame = page.frame_locator("iframe").nth(1)
    markdown_frame.get_by_role("button", name="Kopiera som Markdown").click()
    sync_api.expect(markdown_frame.get_by_text("Kopierat!")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("**Fråga:** hur mycket fick regionen") and "**Svar:** 27 mnkr" in copied
    _screenshot(page, "fraga.png")

    # The source of a text report: the sentence marked in its surrounding text.
    page.get_by_role("button", name="Visa i rapporten").first.click()
    panel = page.get_by_role("dialog")
    sync_api.expect(panel.locator("mark")).to_contain_text("27 mnkr")
    sync_api.expect(panel.get_by_role("button", name="Ladda ner originalfilen")).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=ARTIFACTS / "kalla_text.png")
    page.keyboard.press("Escape")
    sync_api.expect(panel).to_have_count(0)

    page.get_by_role("tab", name="Siffror").click()
    # It opens on the results the reports state, a series over the years.
    topic = page.get_by_label("Ämne (tomt = alla uppgifter)")
    sync_api.expect(topic).to_have_value("resultat")
    sync_api.expect(page.locator(".vega-embed").first).to_be_visible()
    topic.fill("psykisk hälsa")
    topic.press("Enter")
    sync_api.expect(page.locator(".rs-points")).to_contain_text("2020: 27 mnkr (erhållet)")
    _screenshot(page, "siffror.png")
    # The tables' English toolbar and column menu are hidden; the figures have a Swedish download.
    sync_api.expect(page.get_by_role("button", name="Ladda ner som CSV")).to_be_visible()
    for test_id in ("stElementToolbar", "stDataFrameColumnMenu"):
        display = page.evaluate(
            """id => { const e = document.createElement("div"); e.dataset.testid = id;
            document.body.append(e); const shown = getComputedStyle(e).display;
            e.remove(); return shown; }""",
            test_id,
        )
        assert display == "none", test_id

    # A click on a chart point opens "Visa i rapporten" for its figure.
    point = page.locator('.vega-embed path[role="graphics-symbol"][aria-label*="Uppgift: 27 mnkr"]')
    point.first.click()
    panel = page.get_by_role("dialog")
    sync_api.expect(panel.locator("mark")).to_contain_text("27 mnkr")
    sync_api.expect(panel).to_contain_text("Regiondirektörens rapport 5 maj 2021")
    page.wait_for_timeout(500)
    page.screenshot(path=ARTIFACTS / "siffror_punkt.png")
    page.keyboard.press("Escape")
    sync_api.expect(panel).to_have_count(0)
    sync_api.expect(page.get_by_text("Vald punkt: 27 mnkr")).to_be_visible()
    # Closed stays closed when the page is drawn again (here: the same topic, entered again).
    topic = page.get_by_label("Ämne (tomt = alla uppgifter)")
    topic.fill("psykisk hälsa ")
    topic.press("Enter")
    page.wait_for_timeout(2000)
    sync_api.expect(page.get_by_role("dialog")).to_have_count(0)
    sync_api.expect(page.get_by_text("Vald punkt: 27 mnkr")).to_be_visible()  # still chosen


def test_uploaded_pdf_becomes_searchable(page, tmp_path: Path) -> None:
    pdf = small_report_pdf(
        tmp_path / "Norrskensbryggan rapport.pdf",
        "Rapport om Norrskensbryggan",
        [UPLOADED_SENTENCE, "Arbetet fortsätter enligt plan under hösten."],
    )
    page.get_by_role("tab", name="Administration").click()
    page.locator('input[type="file"]').set_input_files(str(pdf))
    # The chip shortens a long name on screen ("Norrske...apport.pdf"); its title keeps it whole.
    page.get_by_title("Norrskensbryggan rapport.pdf").wait_for()
    page.get_by_role("button", name="Ladda upp och indexera").click()
    sync_api.expect(page.get_by_text("1 rapport indexerad")).to_be_visible(timeout=180_000)
    sync_api.expect(page.get_by_text("Sök och frågesvar i 6 rapporter")).to_be_visible()  # summary updated
    _screenshot(page, "administration.png")

    _search(page, "Norrskensbryggan fjärrvärme")
    first = page.locator(".rs-passage").first
    sync_api.expect(first).to_contain_text(UPLOADED_SENTENCE)
    sync_api.expect(first).to_contain_text("Rapport om Norrskensbryggan")
    # Why it matched: the query's words marked, and how many passages contain them at all.
    sync_api.expect(first.locator("mark").first).to_have_text("Norrskensbryggan")
    sync_api.expect(first.locator("mark", has_text="fjärrvärme")).to_have_count(1)
    sync_api.expect(page.get_by_text("innehåller något av sökorden")).to_be_visible()
    _screenshot(page, "sok.png")

    # The PDF page beside it, the passage marked where it stands, with the printed page number.
    page.get_by_role("button", name="Visa i rapporten").first.click()
    panel = page.get_by_role("dialog")
    sync_api.expect(panel.get_by_text("Sidan 1", exact=True)).to_be_visible()
    image = panel.locator("img").first
    sync_api.expect(image).to_be_visible()
    sync_api.expect(panel.get_by_text("Markerat: avsnittet")).to_be_visible()
    sync_api.expect(panel.get_by_role("button", name="Ladda ner originalfilen")).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=ARTIFACTS / "kalla_pdf.png")
    page.keyboard.press("Escape")
    sync_api.expect(panel).to_have_count(0)


def _search(page, query: str) -> None:
    page.get_by_role("tab", name="Sök i rapporterna").click()
    search = page.get_by_label("Sök efter avsnitt")
    search.fill(query)
    search.press("Enter")


def test_scanned_pdf_page_shows_its_ocr_words_marked(page, tmp_path: Path) -> None:
    pdf = image_pdf(tmp_path / "Skannat protokoll.pdf", [page_image(SCANNED_TEXT)])
    page.get_by_role("tab", name="Administration").click()
    page.locator('input[type="file"]').set_input_files(str(pdf))
    page.get_by_title("Skannat protokoll.pdf").wait_for()
    page.get_by_role("button", name="Ladda upp och indexera").click()
    sync_api.expect(page.get_by_text("1 rapport indexerad")).to_be_visible(timeout=180_000)
    _search(page, "nämnden beslutar att godkänna årsredovisningen")
    first = page.locator(".rs-passage").first
    sync_api.expect(first).to_contain_text("Nämnden beslutar att godkänna")
    page.get_by_role("button", name="Visa i rapporten").first.click()  # the first passage's
    panel = page.get_by_role("dialog")
    sync_api.expect(panel.locator("img").first).to_be_visible()
    sync_api.expect(panel.get_by_text("Markerat: avsnittet")).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=ARTIFACTS / "kalla_ocr.png")
    page.keyboard.press("Escape")
    sync_api.expect(panel).to_have_count(0)


def _options(page, label: str) -> list[str]:
    """The options a selectbox lists when opened (then closed again)."""
    page.get_by_role("combobox", name=label).click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return options


def test_removing_a_report_takes_it_out_of_every_selector(page) -> None:
    """The uploaded report is removed while the search tab's document filter is set to it; then
    no selector, table or chart of the session lists it any more."""
    _search(page, "fjärrvärme")
    chooser = page.get_by_role("combobox", name="Dokument")
    chooser.click()
    chooser.fill("Norrskensbryggan")
    page.keyboard.press("Enter")
    sync_api.expect(page.locator(".rs-passage").first).to_contain_text(UPLOADED_SENTENCE)
    page.get_by_role("tab", name="Siffror").click()
    page.get_by_label("Ämne (tomt = alla uppgifter)").fill("fjärrvärme")
    page.keyboard.press("Enter")
    sync_api.expect(page.get_by_text("1 uppgift", exact=True)).to_be_visible()

    page.get_by_role("tab", name="Administration").click()
    before = page.get_by_text("Sök och frågesvar i").inner_text()
    chooser = page.get_by_role("combobox", name="Rapport")
    chooser.click()
    chooser.fill("Norrskensbryggan")
    page.keyboard.press("Enter")
    sync_api.expect(chooser).to_have_value(re.compile("Norrskensbryggan"))
    page.get_by_role("button", name="Ta bort ur indexet").click()
    removed = page.get_by_text("Borttagen:")
    sync_api.expect(removed).to_contain_text(".borttagna/Norrskensbryggan rapport.pdf")
    sync_api.expect(chooser).not_to_have_value(re.compile("Norrskensbryggan"))  # back to "Välj en rapport"
    sync_api.expect(page.get_by_text("Sök och frågesvar i")).not_to_have_text(before)
    _screenshot(page, "borttagning.png")
    assert not any("Norrskensbryggan" in option for option in _options(page, "Rapport"))

    page.get_by_role("tab", name="Sök i rapporterna").click()
    sync_api.expect(page.get_by_role("combobox", name="Dokument")).to_have_value("Alla dokument")
    options = _options(page, "Dokument")
    assert len(options) > 1 and not any("Norrskensbryggan" in option for option in options)
    sync_api.expect(page.get_by_text("Inget avsnitt innehåller sökorden.")).to_be_visible()
    sync_api.expect(page.get_by_text(UPLOADED_SENTENCE)).to_have_count(0)
    _screenshot(page, "borttagning_sok.png")
    page.get_by_role("tab", name="Siffror").click()
    sync_api.expect(page.get_by_text("Inga uppgifter om ämnet.")).to_be_visible()
    page.get_by_role("tab", name="Dokument").click()
    sync_api.expect(page.get_by_role("heading", name="Rätta titel, datum eller organisation")).to_be_visible()
    options = _options(page, "Rapport")
    assert len(options) > 1 and not any("Norrskensbryggan" in option for option in options)
    assert "Norrskensbryggan" not in page.locator('[data-testid="stDataFrame"]').first.inner_text()


def _after(locator, pseudo: str = "::after") -> str:
    """The text CSS puts after an element (where the app replaces Streamlit's English words)."""
    return locator.evaluate(f"e => getComputedStyle(e, '{pseudo}').content")


def _font_size(locator) -> str:
    return locator.evaluate("e => getComputedStyle(e).fontSize")


def test_oversized_upload_is_refused_in_swedish(page, tmp_path: Path) -> None:
    """The upload field's own words are Swedish, and a file over the limit is refused in the
    browser, in Swedish, before it is sent."""
    page.get_by_role("tab", name="Administration").click()
    dropzone = page.locator('[data-testid="stFileUploaderDropzone"]')
    button_text = dropzone.locator("button p")
    instructions = page.locator('[data-testid="stFileUploaderDropzoneInstructions"] span').first
    sync_api.expect(button_text).to_be_visible()
    assert _after(button_text) == '"Välj filer"' and _font_size(button_text) == "0px"  # "Upload" hidden
    assert _after(instructions) == '"eller dra filerna hit · högst 50 MB per fil"'
    assert _font_size(instructions) == "0px"  # "50MB per file" hidden
    dropzone.screenshot(path=ARTIFACTS / "uppladdning_falt.png")
    # While files are dragged over the field: "Släpp filerna här", not "Drag and drop files here".
    dragged = page.evaluate_handle(
        "() => { const data = new DataTransfer(); data.items.add(new File(['x'], 'a.pdf')); return data; }"
    )
    dropzone.dispatch_event("dragenter", {"dataTransfer": dragged})
    overlay = dropzone.locator(".euud7oh1 span").first
    sync_api.expect(overlay).to_be_visible()
    assert _after(overlay) == '"Släpp filerna här"' and _font_size(overlay) == "0px"
    dropzone.screenshot(path=ARTIFACTS / "uppladdning_dra.png")
    dropzone.dispatch_event("dragleave", {"dataTransfer": dragged})
    sync_api.expect(overlay).to_have_count(0)

    big = tmp_path / "Stor rapport.pdf"
    with big.open("wb") as handle:
        handle.truncate(51 * 2**20)  # sparse: 51 MB on paper, nothing on disk
    page.locator('input[type="file"]').set_input_files(str(big))
    chip = page.locator('[data-testid="stFileChip"][aria-invalid="true"]')
    sync_api.expect(chip).to_be_visible()
    reason = chip.locator('[data-testid="stFileChipName"] + div')
    assert _after(reason) == '"för stor, högst 50 MB"' and _font_size(reason) == "0px"
    assert "Filen är större än 50 MB" in _after(chip.locator('span[role="alert"]'))
    chip.hover()
    tooltip = page.locator('[data-testid="stTooltipErrorContent"]')
    sync_api.expect(tooltip).to_be_visible()
    assert _after(tooltip) == '"Filen är större än 50 MB och laddas inte upp. Ta bort den med krysset."'
    assert _font_size(tooltip) == "0px"  # "File must be 50.0MB or smaller." hidden
    page.wait_for_timeout(300)
    page.screenshot(path=ARTIFACTS / "uppladdning_for_stor.png")

    page.get_by_role("button", name="Ladda upp och indexera").click()
    # Nothing reached the server: the form came back without files.
    sync_api.expect(page.get_by_text("Filer större än 50 MB tas inte emot.")).to_be_visible()
    page.wait_for_timeout(300)
    page.screenshot(path=ARTIFACTS / "uppladdning_for_stor_skickad.png")
