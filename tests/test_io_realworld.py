"""Every response file of the real-world folder (SPSS, Stata, CSV exports written by others) imports with
its rows, or is refused in one line naming the file; never a traceback."""
from __future__ import annotations

from pathlib import Path

import pytest

from coprod.analysis.data.importer import import_responses
from coprod.instrument.errors import DataError

RESP = Path(__file__).resolve().parents[2] / "shared" / "data" / "realworld" / "responses"
if not RESP.is_dir():
    RESP = Path("/work/shared/data/realworld/responses")
#: Files that are no response data coprod reads (an IDL save file named .sav).
REFUSED = {"scipy__idl_various_compressed.sav": "not a data file coprod can read"}


def _files():
    return sorted(p for p in RESP.iterdir() if p.is_file()) if RESP.is_dir() else []


@pytest.mark.slow
@pytest.mark.skipif(not _files(), reason="real-world response files absent")
@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_real_response_file_imports(path):
    if path.name in REFUSED:
        with pytest.raises(DataError) as exc:
            import_responses([path])
        assert REFUSED[path.name] in str(exc.value) and path.name in str(exc.value) and "\n" not in str(exc.value)
        return
    res = import_responses([path])
    assert res.rows_read == res.rows_written == len(res.responses.data)
    assert res.rows_read > 0
