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
    warned = {(w.line, w.message.split(":")[0]) for w in rep.warnings}
    assert warned == {(3, "survey row 3"), (4, "survey row 4"), (5, "survey row 5")}
    assert all(w.severity == "warning" for w in rep.warnings)
