"""Self-contained HTML: one file with its style and its charts (data URIs), no external requests."""
from __future__ import annotations

import base64
from html import escape

from .document import DisplayTable, Document, Figure, Heading, Paragraph, word_in

CSS = """
body{font-family:"Segoe UI",Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em} h2{font-size:1.3em;margin-top:2em;border-bottom:1px solid #ccc} h3{font-size:1.1em}
table.apa{border-collapse:collapse;margin:.4em 0 .2em;font-size:.92em}
table.apa caption{caption-side:top;text-align:left;padding-bottom:.3em}
table.apa caption .num{font-weight:bold;display:block} table.apa caption .title{font-style:italic}
table.apa th{border-top:2px solid #222;border-bottom:1px solid #222;padding:.25em .7em;font-weight:normal;vertical-align:bottom}
table.apa td{padding:.15em .7em;vertical-align:top} table.apa tbody tr:last-child td{border-bottom:2px solid #222}
td.r,th.r{text-align:right;white-space:nowrap} td.l,th.l{text-align:left} td.l{white-space:nowrap} td.w{white-space:normal;min-width:14em}
td.s{color:#888}
p.note{font-size:.88em;margin:.2em 0 1.4em;max-width:60em} p.note em{font-style:italic}
p.methods{background:#f6f6f2;border-left:4px solid #9a9;padding:.6em 1em}
.provenance{font-size:.85em;color:#555} .provenance td{padding:0 .8em 0 0}
figure{margin:1em 0 2em} figure img{max-width:100%;height:auto} figcaption{font-size:.9em;color:#333}
@media print{@page{size:A4;margin:2cm} body{margin:0;max-width:none;font-size:10pt}
h2{break-before:page} h1+h2{break-before:avoid} h2,h3,caption{break-after:avoid}
table,figure{break-inside:avoid} thead{display:table-header-group} tr{break-inside:avoid}}
"""


def _table(t: DisplayTable, number: int, words=None) -> str:
    out = [f'<table class="apa" id="{escape(t.name)}-{number}"><caption><span class="num">{escape(word_in(words, "table"))} {number}</span>'
           f'<span class="title">{escape(t.title)}</span></caption><thead><tr>']
    out += [f'<th class="{c.align}">{escape(c.header)}</th>' for c in t.columns]
    out.append("</tr></thead><tbody>")
    for raw, r in zip(t.rows, t.text_rows()):
        cells = []
        for c, v, txt in zip(t.columns, raw, r):
            cls = c.align + (" s" if txt == ".." else "") + (" w" if len(txt) > 40 else "")
            cells.append(f'<td class="{cls}">{escape(txt)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if t.notes:
        out.append(f'<p class="note"><em>{escape(word_in(words, "note"))}</em> {escape(" ".join(t.notes))}</p>')
    return "".join(out)


def _figure(f: Figure, number: int, word: str = "Figure") -> str:
    if f.svg:
        src = "data:image/svg+xml;base64," + base64.b64encode(f.svg.encode("utf-8")).decode("ascii")
    elif f.png:
        src = "data:image/png;base64," + base64.b64encode(f.png).decode("ascii")
    else:
        return ""
    return (f'<figure id="{escape(f.name)}"><img src="{src}" alt="{escape(f.caption)}">'
            f"<figcaption><strong>{escape(word)} {number}.</strong> {escape(f.caption)}</figcaption></figure>")


def to_html(doc: Document) -> str:
    """The document as one HTML page (UTF-8), tables numbered in APA style."""
    body = [f"<h1>{escape(doc.title)}</h1>"] if doc.title else []
    nt = nf = 0
    for b in doc.blocks:
        if isinstance(b, DisplayTable):
            nt += 1
            body.append(_table(b, nt, doc.words))
        elif isinstance(b, Figure):
            nf += 1
            body.append(_figure(b, nf, doc.word("figure")))
        elif isinstance(b, Heading):
            lvl = min(b.level + 1, 6)
            body.append(f"<h{lvl}>{escape(b.text)}</h{lvl}>")
        elif isinstance(b, Paragraph):
            cls = f' class="{b.style}"' if b.style else ""
            body.append(f"<p{cls}>" + escape(b.text).replace("\n", "<br>") + "</p>")
    if doc.provenance:
        rows = "".join(f"<tr><td>{escape(str(k))}</td><td>{escape(str(v))}</td></tr>" for k, v in doc.provenance.items())
        body.append(f'<h2>{escape(doc.word("provenance"))}</h2><table class="provenance">{rows}</table>')
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<meta name=\"generator\" content=\"coprod\"><title>{escape(doc.title or 'coprod')}</title>"
            f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
