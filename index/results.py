"""What the index hands back to the faces (CLI and app): search hits and answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from rapportsok.ingest.records import Box, Entity


@dataclass
class Hit:
    """One ranked passage with the citation a user needs."""

    chunk_id: int
    file: str
    title: str
    date: str | None
    page: int
    section: str
    text: str
    score: float
    entities: list[Entity] = field(default_factory=list)
    page_label: str | None = None  # the number printed on `page` (the PDF page index)
    boxes: list[Box] = field(default_factory=list)  # where the passage stands on its pages
    organisation: str | None = None  # the report's organisation ("Region Dalarna", "Nacka kommun")

    @property
    def printed_page(self) -> str | None:
        """The page number a reader sees: the printed one, else the PDF page index."""
        return self.page_label or (str(self.page) if self.page else None)

    def page_of(self, start: int, end: int) -> tuple[int, str | None]:
        """The page of characters `start`..`end` of the passage, with its printed number: a passage
        may run over two pages. Printed numbers run on one a page from the passage's first page's
        (the store keeps only that one per passage); a label that is no number (a roman "iv")
        gives None, and the face shows the PDF page index."""
        page = next((box.page for box in self.boxes if box.start < end and box.end > start), self.page)
        if page == self.page:
            return page, self.page_label
        if self.page_label and self.page_label.isdigit():
            return page, str(int(self.page_label) + page - self.page)
        return page, None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    """One candidate answer: a typed figure (or entity/sentence) and where it stands.

    `kind` is "amount", "percent", "count", "date", "person", "division" or
    "sentence". `why` lists the scoring terms that made this candidate win.
    """

    text: str
    value: float | str | None
    unit: str | None
    kind: str
    sentence: str
    file: str
    title: str
    date: str | None
    page: int | None
    section: str
    cue: str | None
    confidence: float
    why: dict = field(default_factory=dict)
    chunk_id: int | None = None
    page_label: str | None = None  # the number printed on `page` (the PDF page index)
    boxes: list[Box] = field(default_factory=list)  # where the figure stands (offsets into `sentence`)
    measure: str | None = None  # what a figure measures ("egna kapitalet"; Figure.measure)
    basis: str | None = None  # what kind of figure: utfall, budget, prognos, plan … (Figure.basis)
    period: str | None = None  # the period a figure is for, as stored ("2021-03")
    # Where `text` stands in `sentence` (a span of a sentence answer: "Folksam", "VAS"), for highlighting;
    # or the words it resolves ("Nämnden", answered by the nämnd its heading names).
    start: int | None = None
    end: int | None = None
    organisation: str | None = None  # the report's organisation
    # An answer read from a table cell: the table's caption, the row and column label as printed, and
    # the table's column labels (for showing the row); `sentence` is then the row ("Fritid | 1 234 | …").
    table: str | None = None
    row: str | None = None
    column: str | None = None
    columns: list[str] = field(default_factory=list)
    # The same figure from the other kind of source (the sentence for a cell, the cell for a sentence).
    also_in: list[Answer] = field(default_factory=list)

    @property
    def printed_page(self) -> str | None:
        """The page number a reader sees: the printed one, else the PDF page index."""
        return self.page_label or (str(self.page) if self.page else None)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Reply:
    """The whole reply to a question: best answer (or None = not found), alternatives, passages.

    `subject` is what the question asks about, in its own words ("psykisk hälsa 2020"): the faces
    name it when they say that nothing was found (app/replies.py). `generated` is the optional
    language-model summary (index/generation.py), never the answer itself; `generation_note` says
    in Swedish why there is none although a model is configured.
    """

    question: str
    answer: Answer | None
    alternatives: list[Answer] = field(default_factory=list)
    passages: list[Hit] = field(default_factory=list)
    subject: str = ""
    generated: str | None = None
    generation_note: str = ""
    # Two close answers disagree (other values for the same measure and period): both are shown,
    # the first alternative is the rival, and the faces say the answer is uncertain.
    uncertain: bool = False
    # The next best candidates with other values, whether or not they are shown as alternatives:
    # what an evaluation counts as "right among the top 3".
    runners_up: list[Answer] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer.to_json() if self.answer else None,
            "alternatives": [a.to_json() for a in self.alternatives],
            "passages": [h.to_json() for h in self.passages],
            "subject": self.subject,
            "generated": self.generated,
            "generation_note": self.generation_note,
            "uncertain": self.uncertain,
            "runners_up": [a.to_json() for a in self.runners_up],
        }
