"""The "Siffror" tab: every extracted figure about a topic as a table (CSV download) and, for
amounts, a chart per measure and kind over the years; a point or row opens its page."""

from __future__ import annotations

import html
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from rapportsok.app import replies
from rapportsok.app.page_view import open_source, source_button
from rapportsok.app.replies import markdown_literal
from rapportsok.app.widgets import count_label, csv_download
from rapportsok.index.browse import figure_year, figures_about
from rapportsok.index.engine import Engine
from rapportsok.index.results import Answer
from rapportsok.lang.numbers import format_number

# The figures tab opens on a measure every public financial report has, so a new user sees a series
# over years at once; an index without it opens on all figures.
DEFAULT_TOPIC = "resultat"


NO_CUE = "ej angiven"


def figures_frame(rows: list[dict]) -> pd.DataFrame:
    """The figures table as shown and exported (Swedish column names; the source before the long
    sentence, so it is on screen without scrolling sideways), indexed by figure id: a chart point
    or a table row names its figure by id, which stays right when the rows change."""
    cues = replies.CUE_LABELS
    return pd.DataFrame(
        {
            "Uppgift": [r["text"] for r in rows],
            "Värde": [r["value"] for r in rows],
            "Enhet": [r["unit"] for r in rows],
            "År": [figure_year(r) for r in rows],
            "Typ": [cues.get(r["cue"], r["cue"]) if r["cue"] else r.get("basis") or NO_CUE for r in rows],
            # A table cell's row label; prose measure phrases ("länets kommuner") are too loose to
            # name a series, they only help to rank answers.
            "Mått": [
                (r.get("measure") or r.get("row") or "") if r.get("table") is not None else "" for r in rows
            ],
            "Division": [r["division"] or "" for r in rows],
            "Rapport": [r["title"] for r in rows],
            "Rapportdatum": [r["date"] or "" for r in rows],
            # A text report has no pages: no page number rather than "1".
            "Sida": [
                str(r["page_label"] or r["page"] or "")
                if Path(r["path"]).suffix.casefold() in replies.PAGED_SUFFIXES else ""
                for r in rows
            ],
            "Mening": [r["sentence"] for r in rows],
            "Avsnitt": [r["section"] for r in rows],
            "Period": [r["period"] or "" for r in rows],
            "Fil": [Path(r["path"]).name for r in rows],
        },
        index=pd.Index([r["id"] for r in rows], dtype="int64"),
    )


def point_source(row: dict) -> str:
    """One chart point in words, as an escaped list item: year, figure, cue and its report."""
    where = [row["Rapport"], row["Rapportdatum"] or "odaterad"]
    if row["Sida"]:
        where.append(f"sidan {row['Sida']}")
    return (
        f"<li><b>{row['År']}</b>: {html.escape(row['Uppgift'])} ({html.escape(row['Typ'])}"
        f"{' · ' + html.escape(row['Mått']) if row.get('Mått') else ''}) – "
        f"{html.escape(', '.join(where))}</li>"
    )


# Vega's numbers in Swedish: a space between thousands and a decimal comma ("1 000", "2,5").
SWEDISH_AXIS_LABEL = (
    "replace(replace(replace(format(datum.value, ',.2~f'), regexp(',', 'g'), ' '), '.', ','), ' ', '\u00a0')"
)


def series_of(frame: pd.DataFrame) -> pd.Series:
    """Each figure's chart series: its measure and kind ("Årets resultat, utfall"), so one line
    never mixes improvements, budget deviations and results."""
    return pd.Series(
        [f"{m}, {t}" if m else t for m, t in zip(frame["Mått"], frame["Typ"], strict=True)],
        index=frame.index, dtype=str,
    )


POINT_SELECTION = "punkt"  # the chart's click selection (a Vega-Lite parameter name)


def topic_chart(topic: str, amounts: pd.DataFrame) -> int | None:
    """The chosen series' amounts per year (every year on the axis, one colour per series) and,
    under it, the source of each point in words, so it can be read without hovering. Returns the
    clicked point's figure id, or None."""
    st.subheader(f"Belopp om ”{topic}” över tid")
    first, last = int(amounts["År"].min()), int(amounts["År"].max())
    # Short point labels in one form ("27,4 mnkr", not "27,4 miljoner kronor"), so neighbours in
    # the same year do not overlap; amounts under 0,1 mnkr keep their own words ("40 kr").
    amounts = amounts.assign(
        Etikett=[
            text if mnkr < 0.1 else format_number(mnkr, 1, trim=True) + " mnkr"
            for text, mnkr in zip(amounts["Uppgift"], amounts["Mnkr"], strict=True)
        ],
        Figur=amounts.index,
    )
    # Labels of points in the same year and series take turns above and below, so they do not overlap.
    amounts["Nivå"] = amounts.groupby(["År", "Serie"]).cumcount() % 2
    top = float(amounts["Mnkr"].max()) * 1.2  # room above the highest point for its label
    base = (
        alt.Chart(amounts)
        .mark_circle(size=160, opacity=0.9, cursor="pointer")
        .encode(
            x=alt.X(
                "År:O",
                title="År",
                scale=alt.Scale(domain=list(range(first, last + 1))),
                axis=alt.Axis(labelAngle=0),
            ),
            xOffset=alt.XOffset("Serie:N"),
            y=alt.Y(
                "Mnkr:Q", title="Miljoner kronor", scale=alt.Scale(domain=[0, top], nice=True),
                axis=alt.Axis(labelExpr=SWEDISH_AXIS_LABEL),
            ),
            color=alt.Color("Serie:N", title="Serie", scale=alt.Scale(scheme="category10"),
                            legend=alt.Legend(orient="bottom", labelLimit=400)),
            tooltip=[
                alt.Tooltip("Uppgift:N"),
                alt.Tooltip("Serie:N"),
                alt.Tooltip("Mening:N"),
                alt.Tooltip("Rapport:N", title="Källa"),
                alt.Tooltip("Rapportdatum:N"),
                alt.Tooltip("Sida:N"),
            ],
        )
        .properties(height=340)
    )
    # Only the circles carry the click selection (the labels are drawn from `base`, without it:
    # a parameter may be defined once per chart).
    points = base.add_params(alt.selection_point(name=POINT_SELECTION, fields=["Figur"]))
    above = base.transform_filter("datum.Nivå == 0").mark_text(dy=-14, fontSize=12).encode(text="Etikett:N")
    below = base.transform_filter("datum.Nivå == 1").mark_text(dy=16, fontSize=12).encode(text="Etikett:N")
    event = st.altair_chart(
        points + above + below, width="stretch", on_select="rerun", selection_mode=POINT_SELECTION,
        key="figures_chart",
    )
    st.caption("Klicka på en punkt för att se uppgiften i rapporten.")
    items = "".join(point_source(row) for row in amounts.sort_values(["År", "Mnkr"]).to_dict("records"))
    st.html(f'<div class="rs-points"><b>Källor</b><ul>{items}</ul></div>')
    clicked = event.selection.get(POINT_SELECTION) if event is not None else None
    return int(clicked[0]["Figur"]) if clicked and "Figur" in clicked[0] else None


def figure_answer(row: dict) -> Answer:
    """A stored figure row as an `Answer`, so its source opens in the page view like an answer's."""
    return Answer(
        row["text"], row["value"], row["unit"], row["kind"], row["sentence"], row["path"], row["title"],
        row["date"], row["page"], row["section"], row["cue"], 1.0, chunk_id=row["chunk_id"],
        page_label=row["page_label"], boxes=row["boxes"],
    )


OPENED_POINT = "figures_opened_point"


def open_clicked_point(engine: Engine, row: dict | None) -> None:
    """A click on a chart point opens "Visa i rapporten" for its figure once (the selection stays
    through later reruns, which must not open the panel again); the figure stays named under the
    chart with its own button, to open it again after the panel is closed."""
    if row is None:
        st.session_state.pop(OPENED_POINT, None)
        return
    figure = figure_answer(row)
    st.markdown(
        f"Vald punkt: **{markdown_literal(figure.text)}** – {markdown_literal(replies.citation(figure))}"
    )
    source_button(engine, figure, "chart-point")
    if st.session_state.get(OPENED_POINT) != row["id"]:
        st.session_state[OPENED_POINT] = row["id"]
        open_source(engine, figure)


def show(engine: Engine) -> None:
    found = None
    if "figures_topic" not in st.session_state:  # a default that `keep_tab_filters` keeps
        found = figures_about(engine.store, DEFAULT_TOPIC)
        st.session_state["figures_topic"] = DEFAULT_TOPIC if found else ""
    topic = st.text_input("Ämne (tomt = alla uppgifter)", key="figures_topic")
    rows = found if found and topic == DEFAULT_TOPIC else figures_about(engine.store, topic)
    frame = figures_frame(rows)
    if frame.empty:
        st.info("Inga uppgifter om ämnet." if topic.strip() else "Indexet innehåller inga uppgifter.")
        return
    columns = st.columns(3)
    kinds = columns[0].multiselect(
        "Enhet", sorted(frame["Enhet"].unique()), key="figures_units", placeholder="Alla enheter"
    )
    cues = columns[1].multiselect(
        "Typ", sorted(frame["Typ"].unique()), key="figures_cues", placeholder="Alla typer"
    )
    division_names = sorted(d for d in frame["Division"].unique() if d)
    chosen = columns[2].multiselect(
        "Division", division_names, key="figures_divisions", placeholder="Alla divisioner"
    )
    if kinds:
        frame = frame[frame["Enhet"].isin(kinds)]
    if cues:
        frame = frame[frame["Typ"].isin(cues)]
    if chosen:
        frame = frame[frame["Division"].isin(chosen)]

    amounts = frame[(frame["Enhet"] == "kr") & frame["År"].notna()].assign(
        Mnkr=lambda f: f["Värde"] / 1e6, År=lambda f: f["År"].astype(int)
    )
    by_id = {row["id"]: row for row in rows}
    clicked = None
    if topic.strip() and not amounts.empty:
        amounts = amounts.assign(Serie=series_of(amounts))
        by_size = list(amounts["Serie"].value_counts().index)
        shown = st.multiselect(
            "Serier i diagrammet (mått och typ)", by_size, default=by_size, key="figures_series",
            placeholder="Välj en serie",
        )
        if shown:
            clicked = topic_chart(topic.strip(), amounts[amounts["Serie"].isin(shown)])
    open_clicked_point(engine, by_id.get(clicked) if clicked is not None else None)

    st.subheader(count_label(len(frame), "uppgift", "uppgifter"))
    st.caption("Markera en rad för att se uppgiften i rapporten.")
    picked = st.dataframe(
        frame.drop(columns=["Mått"]) if not frame["Mått"].any() else frame,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="figures_table",
        column_config={
            # Wide enough for "23 400 000 000": a narrow column clips a number's leading digits.
            "Uppgift": st.column_config.TextColumn(width="medium"),
            "Värde": st.column_config.NumberColumn(format="localized", width="medium"),
            "År": st.column_config.NumberColumn(format="%d"),
            "Mening": st.column_config.TextColumn(width="large"),
        },
    )
    # A selection kept from before the rows changed (another topic, a removed report) may point
    # past the end: then nothing is selected.
    selected = [i for i in (picked.selection.rows if picked is not None else []) if i < len(frame)]
    if selected:
        figure = figure_answer(by_id[int(frame.index[selected[0]])])
        st.markdown(f"**{markdown_literal(figure.text)}** – {markdown_literal(replies.citation(figure))}")
        source_button(engine, figure, "figure")
    csv_download(frame, "rapportsok-uppgifter.csv")
