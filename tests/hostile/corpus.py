"""A small corpus of hostile input files, generated at test time (nothing of it is committed)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook


def _workbook(rows, title="Sheet") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def corpus(d: Path) -> list[Path]:
    """Write the hostile files into ``d`` and return their paths."""
    good = _workbook([["id", "q1", "q2"], [1, 3, 4], [2, 5, 1], [3, 2, 2]])
    files = {
        "empty.csv": b"",
        "only_header.csv": b"id,q1\n",
        "garbage.bin": bytes(range(256)) * 20,
        "nul_in_text.csv": b"id,q1\n1,\x002\n",
        "ragged.csv": b"id,q1\n1,2,3,4\n2\n",
        "duplicate_header.csv": b"id,q1,Q1\n1,2,3\n",
        "latin1.csv": "id,nimi\n1,Jyväskylä\n".encode("latin-1"),
        "utf16.csv": "id,q1\n1,2\n".encode("utf-16"),
        "long_line.csv": b"id,q1\n1," + b"9" * 200_000 + b"\n",
        "many_columns.csv": (",".join(f"c{i}" for i in range(400)) + "\n" + ",".join("1" * 400) + "\n").encode(),
        "quotes.csv": b'id,q1\n1,"never closed\n2,3\n',
        "huge_numbers.csv": b"id,q1\n1,inf\n2,1e308\n3,-inf\n4,nan\n5,2\n6,3\n",
        "mixed_zones.csv": b"id,when\n1,2024-05-01T10:00+02:00\n2,2024-05-01T10:00Z\n3,2024-05-01\n",
        "thousands.csv": b"id;q1\n1;1.234,5\n2;1 234\n3;12\n",
        "formula.csv": b"id,q1\n1,=HYPERLINK(\"x\")\n2,3\n",
        "truncated.xlsx": good[: len(good) // 2],
        "zip_not_workbook.xlsx": _zip({"hello.txt": "hi"}),
        "workbook_named.sav": good,
        "csv_named.xlsx": b"id,q1\n1,2\n",
        "empty_workbook.xlsx": _workbook([]),
        "sav_header_only.sav": b"$FL2" + bytes(300),
        "dta_garbage.dta": bytes([117, 1, 1, 0]) + bytes(500),
        "por_garbage.por": b"SPSS PORT FILE" + b"\x00" * 200,
        "gzip.csv": b"\x1f\x8b\x08\x00" + bytes(100),
        "pdf.csv": b"%PDF-1.4\n%...",
        "old_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "yaml_list.yaml": b"- 1\n- 2\n",
        "yaml_tabs.yaml": b"id: x\n\ttitle: y\n",
        "yaml_wrong_types.yaml": b"id: [1]\ntitle: {a: 1}\nversion: .nan\nlanguages: en\nsections: {x: 1}\n",
        "yaml_alias.yaml": b"a: &a [1, 2]\nb: [*a, *a, *a]\nid: *a\n",
        "yaml_deep.yaml": b"id: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "xlsform_no_rows.xlsx": _workbook([["type", "name", "label"]], title="survey"),
        "xlsform_bad_rows.xlsx": _workbook([["type", "name", "label", "relevant"], ["select_one", "q", "Q", "(((("],
                                            ["integer", "r", "R", "(" * 990 + "${q} = '1'" + ")" * 990]],
                                           title="survey"),
    }
    paths = []
    for name, data in files.items():
        p = d / name
        p.write_bytes(data)
        paths.append(p)
    return paths
