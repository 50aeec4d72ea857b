"""Small hand-made documents for writer tests: independent of the fact base and the parser."""

from __future__ import annotations

import io

from briefkit.document.model import (
    Box,
    BulletList,
    ChartData,
    Deck,
    Document,
    Drawn,
    Emph,
    Figure,
    FigureBlock,
    Heading,
    Meta,
    NoteRef,
    Paragraph,
    Series,
    Slide,
    Strong,
    Table,
    TableBlock,
    TableOfContents,
    Text,
)
from briefkit.theme.model import Colours, Fonts, Theme

META = Meta(
    title="Sample brief on widgets", subtitle="A test document", author="Test Organisation",
    subject="Widgets", keywords=("widgets", "test"), language="en-GB", date_iso="2025-03-20",
    date_human="20 March 2025", timestamp=1742428800, audience="Analyst", marking="For discussion",
)


def sample_theme() -> Theme:
    return Theme(name="test", organisation="Test Organisation", colours=Colours(), fonts=Fonts())


def sample_figure() -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.hashsalt"] = "briefkit-sample"
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(["2014", "2016", "2019"], [5000, 10000, 12000])
    svg, png = io.BytesIO(), io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None})
    fig.savefig(png, format="png", dpi=200, metadata={"Software": None})
    plt.close(fig)
    return Figure(
        id="personnel", title="Personnel in joint operations", caption="Reported size of three operations.",
        source_note="Sources: Carnegie (2025); Kizilay (2022).",
        alt="Bar chart: over 5,000 personnel in 2014, about 10,000 in 2016 and 12,000 in 2019.",
        data=ChartData(family="bar", categories=("2014", "2016", "2019"),
                       series=(Series("Personnel", (5000, 10000, 12000)),), value_label="Personnel",
                       labels=("over 5,000", "about 10,000", "12,000")),
        image=Drawn(svg.getvalue(), png.getvalue()), number=1,
    )


def sample_table(rows: int = 6) -> Table:
    body = tuple((str(2000 + i), f"Exercise {i}", "bilateral" if i % 2 else "SCO", f"{1000 * i:,}") for i in range(rows))
    return Table(id="exercises", title="Joint exercises", caption="Exercises reported in the sources.",
                 source_note="Sources: Carnegie (2025).", header=("Year", "Exercise", "Format", "Personnel"),
                 rows=body, numeric=(False, False, False, True), widths=(0.15, 0.45, 0.2, 0.2), number=1)


def sample_document(rows: int = 6) -> Document:
    notes = (
        (Text("Lemon and Norov, Carnegie (20 March 2025), \u2018Training\u2019, para. 3."),),
        (Text("Kızılay (24 November 2022), para. 3; note 5."),),
    )
    blocks = (
        Box("bottom-line", "Bottom line", (Paragraph((Text("China is a growing security partner."), NoteRef(1))),)),
        TableOfContents(),
        Heading(1, (Text("Joint exercises and training"),), "exercises"),
        Paragraph((Text("Tajikistan took part in "), Strong((Text("19"),)), Text(" of 36 exercises."), NoteRef(1)),
                  style="lead"),
        BulletList(((Text("First point "), Emph((Text("emphasised"),))), (Text("Second point."), NoteRef(2)))),
        FigureBlock(sample_figure()),
        TableBlock(sample_table(rows)),
        Heading(1, (Text("Sources"),), "sources"),
        Paragraph((Text("Carnegie (2025)."),), style="small"),
    )
    return Document(meta=META, blocks=blocks, notes=notes)


def sample_deck(bullets: int = 4, table_rows: int = 6) -> Deck:
    fig = sample_figure()
    slides = (
        Slide("title", META.title, subtitle=f"{META.audience} \u00b7 {META.date_human} \u00b7 {META.marking}",
              box=Box("meeting", "Meeting", (Paragraph((Text("Counterpart: Minister of Defence"),)),))),
        Slide("bullets", "Bottom line", bullets=tuple((Text(f"Point number {i} about widgets."),)
                                                      for i in range(bullets)),
              source_line="Sources: Carnegie (2025).", notes="Detail for the speaker.\nCitations: Carnegie."),
        Slide("chart", fig.title, figure=fig, bullets=((Text("Sizes grew."),),), source_line=fig.source_note,
              notes="The chart shows..."),
        Slide("table", "Joint exercises", table=sample_table(table_rows), source_line="Sources: Carnegie (2025)."),
        Slide("sources", "Sources", bullets=((Text("Carnegie (2025)."),),)),
    )
    return Deck(meta=META, slides=slides)
