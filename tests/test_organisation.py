"""The organisation behind each report: found in the title and first pages by general rules
(ingest/organisation.py), stored with the report, corrected in metadata.toml or the data
directory's corrections file, and shown by `status`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from rapportsok.index.engine import Engine
from rapportsok.index.store import Store
from rapportsok.index.sync import sync
from rapportsok.ingest.organisation import detect_organisation, mentions


def test_shapes_of_swedish_public_bodies() -> None:
    assert mentions("Rapporten är skapad av Samhällsanalys, Region Dalarna") == ["Region Dalarna"]
    assert mentions("SIMRISHAMNS KOMMUN Kultur- och fritidsnämnden") == ["Simrishamns kommun"]
    assert mentions("Nämnden för Intraservice, Göteborgs Stad") == ["Göteborgs Stad"]
    assert mentions("Skolverkets årsredovisning 2013") == ["Skolverket"]
    assert mentions("Dnr 12 Västra Götalandsregionen") == ["Västra Götalandsregionen"]
    # Bodies inside a municipality or region, and words that only open a sentence, are no organisation.
    assert mentions("Kommunstyrelsen beslutade. Varje kommun ska svara. Regionstyrelsens plan.") == []


def test_title_page_outweighs_later_mentions() -> None:
    blocks = ["Årsredovisning 2012", "Försäkringskassan", *["Inledning"] * 8, *["Enligt Skolverket."] * 6]
    assert detect_organisation("Försäkringskassans årsredovisning 2012", blocks) == "Försäkringskassan"
    later = ["Inledning"] * 10 + ["Region Halland nämns här."] * 2
    assert detect_organisation("Rapport", ["Nacka kommun", *later]) == "Nacka kommun"


def test_author_body_only_when_nothing_else_is_named() -> None:
    blocks = ["Bokslut 2025", "Kultur- och fritidsnämnden"]
    assert detect_organisation("Bokslut 2025", blocks) == "Kultur- och fritidsnämnden"
    assert detect_organisation("Minnesanteckningar", ["Mötet öppnades."]) is None


def _report(folder: Path, name: str, first_line: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"# Delårsrapport mars 2026\n\n{first_line}\n\nNämnden fick 27 mnkr under 2026.\n",
                    encoding="utf-8")
    return path


def test_stored_corrected_by_sidecar_and_in_status(tmp_path: Path) -> None:
    folder = tmp_path / "rapporter"
    path = _report(folder, "a.md", "Nämnden för Intraservice, Göteborgs Stad")
    _report(folder, "b.md", "Ingen avsändare här.")
    engine = Engine(tmp_path / "data")
    engine.refreshers.clear()  # no search indexes needed here
    engine.sync([folder])
    orgs = {Path(d["path"]).name: d["organisation"] for d in engine.status()["documents"]}
    assert orgs == {"a.md": "Göteborgs Stad", "b.md": ""}
    chunk_ids = [row[0] for row in engine.store.conn.execute("SELECT id FROM chunks")]
    assert {row["organisation"] for row in engine.store.chunks(chunk_ids)} == {"Göteborgs Stad", ""}

    (folder / "metadata.toml").write_text('["b.md"]\norganisation = "Exempel kommun"\n', encoding="utf-8")
    report = engine.sync([folder])
    assert [Path(p).name for p in report.updated] == ["b.md"] and len(report.unchanged) == 1
    assert {d["organisation"] for d in engine.store.documents()} == {"Göteborgs Stad", "Exempel kommun"}

    # The app's correction: kept in the data directory, shown at once, kept by the next sync.
    document_id = next(d["id"] for d in engine.store.documents() if d["path"] == str(path.resolve()))
    engine.correct_metadata(document_id, "Delårsrapport", None, organisation="Göteborgs Stad, Intraservice")
    with (tmp_path / "data" / "corrections.toml").open("rb") as handle:
        assert tomllib.load(handle)[str(path.resolve())]["organisation"] == "Göteborgs Stad, Intraservice"
    assert engine.sync([folder]).unchanged == sorted(str(p.resolve()) for p in folder.glob("*.md"))
    stored = next(d for d in engine.store.documents() if d["id"] == document_id)
    assert stored["organisation"] == "Göteborgs Stad, Intraservice"
    engine.correct_metadata(document_id, "Delårsrapport", None)  # no organisation: kept as it is
    assert next(d for d in engine.store.documents() if d["id"] == document_id)["organisation"] == (
        "Göteborgs Stad, Intraservice"
    )
    engine.close()


def test_reports_stored_before_the_column_get_theirs_without_a_re_read(tmp_path: Path) -> None:
    folder = tmp_path / "rapporter"
    path = _report(folder, "a.md", "Simrishamns kommun")
    store = Store(tmp_path / "store.sqlite")
    sync([folder], store)
    with store.conn as conn:
        conn.execute("UPDATE documents SET organisation = NULL")  # as migrated from version 5
    report = sync([folder], store)
    assert report.unchanged == [str(path.resolve())]
    assert store.documents()[0]["organisation"] == "Simrishamns kommun"
    store.close()


def test_author_cue_beats_cited_sources() -> None:
    blocks = ["Läget i länet", "Rapporten är skapad av Samhällsanalys, Region Dalarna", "Sammanfattning",
              *["Enligt Riksbanken och Konjunkturinstitutet steg räntan."] * 6]
    assert detect_organisation("Läget i länet", blocks) == "Region Dalarna"
    named = ["2025 Årsbokslut", "Organisation: Kultur- och fritidsnämnden", "Stöd från Region Skåne."]
    assert detect_organisation("2025 Årsbokslut", named) == "Kultur- och fritidsnämnden"


def test_a_place_name_of_an_indexed_organisation_counts_as_the_organisation() -> None:
    from rapportsok.index.question import analyze, is_organisation_word, with_known_organisations

    question = with_known_organisations(
        analyze("Hur många deltog i Sommarboken i Simrishamn 2025?"), {"simrishamn", "kfn", "bokslut"}
    )
    assert question.organisations == ("simrishamn",)
    assert "simrishamn" not in question.terms and "sommarbok" in question.terms
    # A place the index knows no organisation of stays a topic word.
    skane = with_known_organisations(analyze("Hur många deltog i Skåne 2025?"), {"simrishamn"})
    assert skane.organisations == () and "skån" in skane.terms
    # A capitalised word that names no place of the question ("konventet Folk och Kultur") stays topic
    # even where an organisation's name holds it.
    culture = with_known_organisations(analyze("Hur många deltog i konventet Folk och Kultur?"), {"kultur"})
    assert culture.organisations == () and "kultur" in culture.terms
    # An indexed organisation's whole one-word name is the organisation wherever it stands.
    agency = with_known_organisations(
        analyze("Hur mycket socialavgifter tog Försäkringskassan in 2012?"), set(), {"försäkringskassan"}
    )
    assert agency.organisations == ("försäkringskassan",) and agency.terms == ("socialavgift",)
    assert is_organisation_word("halland", "regionhalland")
    assert not is_organisation_word("dal", "dalby")
    # A short genitive ("Statens kulturråd") is no part of a file name's compound ("statskalender").
    assert not is_organisation_word("stat", "statskalend")
    state = with_known_organisations(
        analyze("Hur mycket fick biblioteket från Statens kulturråd?"), {"statskalend"}
    )
    assert state.organisations == () and "stat" in state.terms
    # A place in the name of a body of its own ("Stockholms universitet", "i Malmö högskola") is
    # part of that body's name, not the organisation whose reports are asked about.
    university = with_known_organisations(
        analyze("Hur många deltog i kursen vid Stockholms universitet?"), {"stockholm"}
    )
    assert university.organisations == () and "stockholm" in university.terms
    city = with_known_organisations(analyze("Hur stor var Stockholms stads budget?"), {"stockholm"})
    assert city.organisations == ("stockholm",)


def test_interleave_keeps_two_places_of_three_for_the_named_organisation() -> None:
    from rapportsok.index.engine import interleave
    from rapportsok.index.results import Hit

    def hits(*ids: int) -> list[Hit]:
        return [Hit(i, f"/r/{i}.md", "Rapport", None, None, "", "text", 1.0) for i in ids]

    assert [h.chunk_id for h in interleave(hits(1, 2, 3, 4, 5), hits(9, 1, 8), 6)] == [1, 2, 9, 3, 4, 8]
    assert [h.chunk_id for h in interleave(hits(1), hits(9, 8, 7), 4)] == [1, 9, 8, 7]


def test_a_named_municipality_steers_the_answer_to_its_own_report(tmp_path: Path) -> None:
    folder = tmp_path / "rapporter"
    folder.mkdir()
    for name, town, cars in (("vansbro_plan.md", "Vansbro", 6), ("nacka_plan.md", "Nacka", 40)):
        (folder / name).write_text(
            f"# Miljöplan 2009\n\n{town} kommun\n\n## Fordon\n\n"
            f"Kommunen hade {cars} miljöbilar under 2009.\n",
            encoding="utf-8",
        )
    engine = Engine(tmp_path / "data")
    engine.sync([folder])
    for town, cars in (("Nacka", 40), ("Vansbro", 6)):
        reply = engine.ask(f"Hur många miljöbilar hade kommunen i {town} 2009?", summarize=False)
        assert reply.answer is not None and reply.answer.value == cars, (town, reply.answer)
        assert Path(reply.answer.file).name.startswith(town.casefold())


def test_organisation_words_are_places_and_file_names_not_bodies() -> None:
    from rapportsok.index.evidence import organisation_words

    assert organisation_words("Region Dalarna", "/r/laget.html") == {"dal", "lag"}
    assert "göteborg" in organisation_words("Göteborgs Stad", "/r/x.pdf")
    # A nämnd names a field of work, not a place; the file name still counts.
    assert organisation_words("Kultur- och fritidsnämnden", "/r/simrishamn_KFN.pdf") == {"simrishamn"}


def test_a_report_of_one_of_the_named_organisations_is_named() -> None:
    from rapportsok.index.evidence import names_report, report_identity
    from rapportsok.index.question import analyze, with_known_organisations

    asked = analyze("Vad kostar ett småhus i Stockholm enligt Region Dalarnas lägesrapport?")
    question = with_known_organisations(asked, {"dal", "stockholm"})
    assert set(question.organisations) == {"dal", "stockholm"}
    assert names_report(question, report_identity("Region Dalarna", "Läget i Dalarna", "laget.html"))
    assert not names_report(question, report_identity("Nacka kommun", "Årsbokslut", "nacka.pdf"))


def test_an_author_named_by_a_definite_noun_before_its_document_kind() -> None:
    blocks = ["Regeringens proposition", "2012/13:187", "Skolverket ska ta fram föreskrifter.",
              "Skolverket och Skolinspektionen har yttrat sig."]
    assert detect_organisation("Regeringens proposition", blocks) == "Regeringen"
    assert detect_organisation("Polisens årsredovisning 2008", ["Polisens årsredovisning 2008"]) == "Polisen"
