"""Text formats: plain text, the terminal (rich), Markdown and LaTeX (booktabs)."""
from __future__ import annotations

import base64

from .document import DisplayTable, Document, Figure, Heading, Paragraph, word_in


def plain_table(t: DisplayTable, words: dict | None = None) -> str:
    """Fixed-width text: title, header, rule, rows, notes (headed by ``words["note"]``, "Note." when not given).

    >>> from coprod.analysis.render.document import Column
    >>> print(plain_table(DisplayTable("x", "Demo", [Column("Group"), Column("p", "p")], [["A", 0.0004]], ["A note."])))
    Demo
    Group       p
    -----  ------
    A      < .001
    Note. A note.
    <BLANKLINE>
    """
    heads = t.headers
    rows = t.text_rows()
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(heads)]
    al = [c.align for c in t.columns]

    pattern = "  ".join(f"{{:{'<' if a == 'l' else '>'}{w}}}" for w, a in zip(widths, al))  # one call per row

    def line(cells):
        return pattern.format(*cells).rstrip()

    out = [t.title, line(heads), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    if t.notes:
        out.append(f"{word_in(words, 'note')} " + " ".join(t.notes))
    return "\n".join(out) + "\n"


def to_plain(doc: Document) -> str:
    parts = []
    for b in doc.blocks:
        if isinstance(b, DisplayTable):
            parts.append(plain_table(b, doc.words))
        elif isinstance(b, Heading):
            parts.append(b.text + "\n" + ("=" if b.level == 1 else "-") * len(b.text) + "\n")
        elif isinstance(b, Paragraph):
            parts.append(b.text + "\n")
        elif isinstance(b, Figure):
            parts.append(f"[figure: {b.caption}]\n")
    if doc.provenance:
        parts.append(doc.word("provenance") + "\n" + "".join(f"  {k}: {v}\n" for k, v in doc.provenance.items()))
    return "\n".join(parts)


def print_terminal(doc: Document, file=None) -> None:
    """Rich tables that wrap to the terminal's width; notes as captions."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(file=file, highlight=False)
    for b in doc.blocks:
        if isinstance(b, DisplayTable):
            table = Table(title=b.title, box=box.SIMPLE_HEAD, caption=(doc.word("note") + " " + " ".join(b.notes)) if b.notes else None,
                          caption_justify="left", title_justify="left")
            for c in b.columns:
                table.add_column(c.header, justify="left" if c.align == "l" else "right",
                                 overflow="fold", no_wrap=c.align == "r")
            for r in b.text_rows():
                table.add_row(*r)
            console.print(table)
        elif isinstance(b, Heading):
            console.print(f"[bold]{_rich_escape(b.text)}[/bold]")
        elif isinstance(b, Paragraph):
            console.print(_rich_escape(b.text))
        elif isinstance(b, Figure):
            console.print(f"[figure: {_rich_escape(b.caption)}]")


def _rich_escape(s: str) -> str:
    from rich.markup import escape

    return escape(s)


# ---------------------------------------------------------------------------- Markdown
def _md_cell(s: str) -> str:
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_table(t: DisplayTable, number: int | None = None) -> str:
    head = f"**Table {number}**\n\n*{t.title}*\n\n" if number else f"**{t.title}**\n\n"
    heads = [_md_cell(h) for h in t.headers]
    out = [head + "| " + " | ".join(heads) + " |",
           "|" + "|".join(":---" if c.align == "l" else "---:" for c in t.columns) + "|"]
    out += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in t.text_rows()]
    text = "\n".join(out) + "\n"
    if t.notes:
        text += "\n*Note.* " + _md_cell(" ".join(t.notes)) + "\n"
    return text


def to_markdown(doc: Document, number_tables: bool = False, figure_dir: str | None = None) -> str:
    """Markdown (pipe tables); figures embedded as PNG data URIs, so the file stands alone.

    With ``figure_dir`` the figures are linked instead, as ``figure_dir/figure-1.png`` ... in the
    order of :func:`markdown_figures` (GitHub, GitLab and most editors show no data URIs).

    >>> d = Document("T", [Figure("f", "A chart", png=b"\\x89PNG")])
    >>> print(to_markdown(d, figure_dir="r_files"), end="")
    # T
    <BLANKLINE>
    ![A chart](r_files/figure-1.png)
    <BLANKLINE>
    *A chart*
    """
    from urllib.parse import quote

    parts = [f"# {doc.title}\n"] if doc.title else []
    n = 0
    nfig = 0
    for b in doc.blocks:
        if isinstance(b, DisplayTable):
            n += 1
            parts.append(markdown_table(b, n if number_tables else None))
        elif isinstance(b, Heading):
            parts.append("#" * (b.level + 1) + " " + b.text + "\n")
        elif isinstance(b, Paragraph):
            parts.append(b.text.replace("\n", "  \n") + "\n")
        elif isinstance(b, Figure) and b.png:
            nfig += 1
            if figure_dir is not None:
                src = quote(f"{figure_dir}/figure-{nfig}.png")
            else:
                src = "data:image/png;base64," + base64.b64encode(b.png).decode("ascii")
            parts.append(f"![{_md_cell(b.caption)}]({src})\n\n*{_md_cell(b.caption)}*\n")
    if doc.provenance:
        parts.append("---\n\n" + "".join(f"*{_md_cell(str(k))}:* {_md_cell(str(v))}  \n" for k, v in doc.provenance.items()))
    return "\n".join(parts)


def markdown_figures(doc: Document) -> list[bytes]:
    """The PNG bytes of the figures :func:`to_markdown` links, in order (``figure-1.png`` first)."""
    return [b.png for b in doc.blocks if isinstance(b, Figure) and b.png]


# ---------------------------------------------------------------------------- LaTeX
_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
        "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}"}
_TEX_UNICODE = {"α": r"$\alpha$", "ω": r"$\omega$", "η": r"$\eta$", "ε": r"$\varepsilon$", "²": r"$^2$", "–": "--"}


def tex_escape(s: str) -> str:
    r"""Escape LaTeX's special characters.

    >>> tex_escape("50% & p < .001")
    '50\\% \\& p \\textless{} .001'
    """
    out = "".join(_TEX.get(ch, ch) for ch in s)
    for k, v in _TEX_UNICODE.items():
        out = out.replace(k, v)
    return out


def latex_table(t: DisplayTable) -> str:
    spec = "".join(c.align for c in t.columns)
    lines = [r"\begin{table}[htbp]", r"\centering", rf"\caption{{{tex_escape(t.title)}}}",
             rf"\begin{{tabular}}{{{spec}}}", r"\toprule",
             " & ".join(tex_escape(h) for h in t.headers) + r" \\", r"\midrule"]
    lines += [" & ".join(tex_escape(c) for c in r) + r" \\" for r in t.text_rows()]
    lines.append(r"\bottomrule")
    lines.append(r"\end{tabular}")
    if t.notes:
        lines.append(r"\par\smallskip{\footnotesize\textit{Note.} " + tex_escape(" ".join(t.notes)) + "}")
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


def to_latex(doc: Document) -> str:
    """Table environments using booktabs (``\\usepackage{booktabs}``), ready to \\input."""
    parts = ["% Tables written by coprod; needs \\usepackage{booktabs}\n"]
    for b in doc.blocks:
        if isinstance(b, DisplayTable):
            parts.append(latex_table(b))
        elif isinstance(b, Heading):
            parts.append(("\\section*{" if b.level == 1 else "\\subsection*{") + tex_escape(b.text) + "}\n")
        elif isinstance(b, Paragraph):
            parts.append(tex_escape(b.text) + "\n")
    if doc.provenance:
        parts.append("".join(f"% {k}: {str(v).replace(chr(10), ' ')}\n" for k, v in doc.provenance.items()))
    return "\n".join(parts)
