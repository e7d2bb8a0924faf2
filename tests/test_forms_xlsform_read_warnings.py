"""An XLSForm made elsewhere: what a definition cannot keep is reported as a warning, never dropped silently."""
from openpyxl import Workbook

from coprod import instrument


def test_calculate_and_custom_constraints_are_reported(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label", "constraint"])
    ws.append(["integer", "age", "Age", ". >= 18 and . <= 99"])
    ws.append(["integer", "kids", "Children", ". < ${age}"])
    ws.append(["text", "email", "E-mail", "regex(., '@')"])
    ws.append(["calculate", "double_age", "", ""])
    ch = wb.create_sheet("choices")
    ch.append(["list_name", "name", "label"])
    st = wb.create_sheet("settings")
    st.append(["form_title", "form_id", "version"])
    st.append(["Kobo form", "kobo1", "3"])
    path = tmp_path / "kobo.xlsx"
    wb.save(path)
    rep = instrument.check(path)
    assert rep.ok
    inst = rep.instrument
    assert (inst.question("age").min, inst.question("age").max) == (18, 99)
    warned = {(w.line, w.message) for w in rep.warnings}  # one line per kind, naming the rows
    assert warned == {(3, "constraints only partly checked at import (a definition keeps min and max): 1 row (row 3 kids)"),
                      (4, "constraints kept as XPath, not checked at import: 1 row (row 4 email)"),
                      (5, "calculate rows kept for the XLSForm, not variables of the definition: 1 row (row 5 double_age)")}
    assert all(w.severity == "warning" for w in rep.warnings)


def test_warnings_of_one_kind_stay_warnings(tmp_path):
    """Two empty groups give two warnings of one kind: one line, still a warning, and the form is read."""
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label"])
    ws.append(["integer", "age", "Age"])
    for g in ("g1", "g2"):
        ws.append(["begin group", g, g.upper()])
        ws.append(["end group", "", ""])
    wb.create_sheet("choices").append(["list_name", "name", "label"])
    path = tmp_path / "empty_groups.xlsx"
    wb.save(path)
    rep = instrument.check(path)
    assert rep.ok, [str(p) for p in rep.problems]
    grouped = [w for w in rep.warnings if "more like it" in w.message]
    assert len(grouped) == 1 and grouped[0].severity == "warning"
