"""The source beside the answer: PDF pages drawn with the cited words marked (text and OCR pages),
text reports in context, e-mail citations, search highlighting and removing a report."""

from __future__ import annotations

from pathlib import Path

from conftest import write_report
from pdf_factory import SCANNED_TEXT, image_pdf, page_image, report_pdf
from rapportsok.app import page_render, search_view
from rapportsok.app.replies import citation, not_found_message, reply_markdown, reply_plain
from rapportsok.index.engine import REMOVED_FOLDER, Engine
from rapportsok.index.results import Answer, Reply
from rapportsok.ingest.pipeline import process_file
from rapportsok.ingest.positions import span_boxes


def _centre(box, image) -> tuple[int, int]:
    return int((box.x0 + box.x1) / 2 * image.width), int((box.y0 + box.y1) / 2 * image.height)


def _marked_pixels(plain, marked, box) -> int:
    """How many pixels in the box's area changed colour towards amber (red kept, blue lowered)."""
    left, top = int(box.x0 * plain.width), int(box.y0 * plain.height)
    right, bottom = int(box.x1 * plain.width), int(box.y1 * plain.height)
    changed = 0
    for x in range(left, right, 3):
        for y in range(top, bottom, 2):
            r0, g0, b0 = plain.getpixel((x, y))[:3]
            r1, g1, b1 = marked.getpixel((x, y))[:3]
            changed += b1 < b0 - 20 and r1 >= r0 - 40
    return changed


def test_pdf_page_marks_the_figure_where_it_stands(tmp_path: Path) -> None:
    doc, chunks = process_file(report_pdf(tmp_path / "rapport.pdf"))
    chunk = next(c for c in chunks if "42 miljoner" in c.text)
    start = chunk.text.index("42 miljoner kronor")
    figure = span_boxes(chunk.boxes, start, start + len("42 miljoner kronor"))
    assert figure and figure[0].page == 1
    plain = page_render.page_image(tmp_path / "rapport.pdf", 1)
    marked = page_render.mark_boxes(plain, 1, chunk.boxes, figure)
    assert _marked_pixels(plain.convert("RGB"), marked, figure[0]) > 20
    # Nothing is drawn far from the boxes (the page's bottom margin stays as it was).
    assert marked.getpixel((plain.width // 2, plain.height - 5)) == plain.convert("RGB").getpixel(
        (plain.width // 2, plain.height - 5)
    )
    # Boxes of another page are not drawn on this one.
    assert page_render.mark_boxes(plain, 2, chunk.boxes, figure).tobytes() == plain.convert("RGB").tobytes()
    assert page_render.page_count(tmp_path / "rapport.pdf") == 2


def test_ocr_page_marks_the_recognised_words(tmp_path: Path) -> None:
    path = image_pdf(tmp_path / "skannad.pdf", [page_image(SCANNED_TEXT)])
    doc, chunks = process_file(path)
    boxes = [box for chunk in chunks for box in chunk.boxes]
    assert boxes, "OCR words carry positions"
    plain = page_render.page_image(path, 1).convert("RGB")
    marked = page_render.mark_boxes(plain, 1, boxes[:1], boxes[:1])
    assert _marked_pixels(plain, marked, boxes[0]) > 20


def test_text_report_passage_in_its_context() -> None:
    text = "Inledning om året. " * 80 + "Regionen fick 27 mnkr för psykisk hälsa. " + "Slutord här. " * 80
    start = text.index("Regionen")
    before, passage, after = page_render.in_context(text, start, start + 40, context=100)
    assert passage.startswith("Regionen fick 27 mnkr")
    assert 80 <= len(before) <= 100 and before.startswith("Inledning")  # cut at a word
    assert 80 <= len(after) <= 100 and not after.endswith(" ")


def _answer(file: str, page: int | None = 3, **extra) -> Answer:
    return Answer(
        "27,4 miljoner kronor", 27.4e6, "kr", "amount",
        "Regionen fick 27,4 miljoner kronor för psykisk hälsa under 2020.", file,
        "Årsredovisning 2020", "2021-03-15", page, "Psykisk hälsa", "received", 0.8, page_label="12",
        **extra,
    )


def test_plain_citation_for_an_email_names_no_file_and_no_markdown() -> None:
    reply = Reply("hur mycket fick regionen för psykisk hälsa 2020", _answer("/data/corpus/000_8ac7d356.pdf"))
    plain = reply_plain(reply)
    assert plain.splitlines() == [
        "27,4 miljoner kronor",
        "”Regionen fick 27,4 miljoner kronor för psykisk hälsa under 2020.”",
        "Källa: Årsredovisning 2020, 2021-03-15, avsnitt ”Psykisk hälsa”, sidan 12.",
    ]
    assert "**" not in plain and ">" not in plain and "000_" not in plain
    assert "> Regionen fick" in reply_markdown(reply) and "000_" not in reply_markdown(reply)
    # A text report has no pages: no "sidan".
    assert "sidan" not in citation(_answer("/data/corpus/000_8ac7d356.txt", page=1))


def test_search_marks_inflections_and_compound_parts() -> None:
    wanted = search_view.query_stems("psykisk hälsa 2020 och")
    text = "Den psykiska hälsan bland unga, psykiatrikostnader och hälsofrämjande arbete 2020."
    marked = [text[a:b] for a, b in search_view.match_spans(text, wanted)]
    assert marked == ["psykiska", "hälsan", "hälsofrämjande"]
    html_text = search_view.mark_words("<b>hälsa</b>", search_view.match_spans("<b>hälsa</b>", wanted))
    assert html_text.startswith("&lt;b&gt;<mark") and "hälsa</mark>&lt;/b&gt;" in html_text
    assert not search_view.worth_showing(False, 0.2, 1.0)
    assert search_view.worth_showing(False, 0.8, 1.0) and search_view.worth_showing(True, 0.1, 1.0)


def test_removing_a_report_moves_its_file_aside_and_out_of_the_index(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "rapporter"
    kept, removed = write_report(folder, "a.md", "cykelvägar"), write_report(folder, "b.md", "simhallar")
    engine = Engine(data_dir)
    engine.sync([folder], workers=1)
    doc_id = next(d["id"] for d in engine.store.documents() if d["path"].endswith("b.md"))
    target = engine.remove_report(doc_id)
    assert target == folder / REMOVED_FOLDER / "b.md" and target.read_text(encoding="utf-8")
    assert not removed.exists() and kept.exists()
    assert [Path(d["path"]).name for d in engine.store.documents()] == ["a.md"]
    assert all("simhallar" not in hit.text for hit in engine.search("simhallar", k=5))
    # A later sync of the folder does not bring it back (the folder aside is hidden).
    report = engine.sync([folder], workers=1)
    assert not report.added and [Path(d["path"]).name for d in engine.store.documents()] == ["a.md"]
    engine.close()


def test_not_found_names_the_topic_as_the_question_wrote_it() -> None:
    reply = Reply("Vad är lönen för regiondirektören?", None, subject="lönen regiondirektören")
    assert not_found_message(reply) == "Jag hittar ingen uppgift om lönen för regiondirektören i rapporterna."
    reply = Reply("Vilken lön har regiondirektören 2021?", None, subject="lön regiondirektören 2021")
    assert not_found_message(reply) == "Jag hittar ingen uppgift om lön, regiondirektören 2021 i rapporterna."


def test_an_answer_in_other_words_than_its_sentence_marks_the_span_it_was_read_from() -> None:
    from rapportsok.app.ask_tab import sentence_html

    sentence = "Föredragande: statsrådet Björkman"
    answer = Answer("Per Björkman", "Per Björkman", None, "sentence", sentence, "/r.pdf", "Prop.", None, 1,
                    "", None, 0.8, start=sentence.index("Björkman"), end=len(sentence))
    marked = sentence_html(answer)
    assert "Björkman" in marked and marked != sentence and "<mark" in marked
