"""ODK Central and KoboToolbox exports: their metadata columns, kept in the data as ``meta_*``."""
from __future__ import annotations

import re

from coprod.analysis.data.loaded import META_PREFIX, LoadedResponses

# ODK Central / KoboToolbox metadata columns (compared case-sensitively, after group paths are split off).
ODK_META = {
    "_id", "_uuid", "_submission_time", "_index", "_parent_index", "_parent_table_name", "__version__", "_version_",
    "_version", "_status", "_submitted_by", "_tags", "_notes", "_validation_status", "_xform_id_string",
    "_xform_id", "_attachments", "_geolocation", "_duration", "start", "end", "today", "deviceid", "username",
    "phonenumber", "simserial", "subscriberid", "audit", "instanceID", "instanceName", "deprecatedID",
    "formhub/uuid", "meta/instanceID", "meta/instanceName", "meta/deprecatedID", "meta/rootUuid",
    "KEY", "SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
    "Status", "ReviewState", "DeviceID", "Edits", "FormVersion", "_last_edited_by",
}
#: Columns Kobo adds beside a geopoint ``loc``: ``_loc_latitude`` ... (metadata, not answers).
_GEO_PARTS = re.compile(r"^_.+_(latitude|longitude|altitude|precision)$")
# Columns whose presence marks a file as an ODK/Kobo export.
ODK_MARKERS = {"_uuid", "_submission_time", "meta/instanceID", "meta-instanceID", "__version__", "KEY",
               "SubmissionDate", "formhub/uuid", "_xform_id_string"}


#: Ids of a submission, in the order they are used as the respondent id of a form that has none.
ODK_IDS = ("meta_uuid", "meta_instanceID", "meta_KEY")


def _r_name(c: str) -> str:
    """A column as the export named it before R's ``make.names`` (``X_uuid`` -> ``_uuid``)."""
    return c[1:] if c.startswith("X_") and c[1:] in ODK_META else c


def odk_metadata(res: LoadedResponses) -> None:
    """Rename ODK/Kobo metadata columns to ``meta_*`` (kept in the data, ignored by the checks).

    Exports passed through R keep ``X_uuid``, ``X_submission_time`` (R's ``make.names``): read as the same.
    """
    cols = [str(c) for c in res.data.columns]
    if not ({_r_name(c) for c in cols} & ODK_MARKERS):
        return
    res.origin["odk"] = True
    rename = {}
    taken = set(cols)
    for c in cols:
        base = _r_name(c)
        for sep in ("/", "-"):
            if base.startswith("meta" + sep):
                base = "meta/" + base[5:]
        if c in ODK_META or base in ODK_META or _GEO_PARTS.match(base.split("/")[-1]):
            stem = re.sub(r"[^A-Za-z0-9]+", "_", base.split("/")[-1]).strip("_") or "col"
            new = META_PREFIX + stem
            k = 2
            while new in taken:
                new = f"{META_PREFIX}{stem}{k}"
                k += 1
            taken.add(new)
            rename[c] = new
    if rename:
        res.data = res.data.rename(columns=rename)
        res.notes.append(f"ODK/Kobo metadata kept as {', '.join(sorted(rename.values()))}")


def odk_form_columns(res: LoadedResponses, instrument) -> None:
    """What an ODK/Kobo export holds beside the answers, once the form is known: columns of the form's kept
    rows (``today``, ``audit``, calculates) become ``meta_*``; a submission id becomes the respondent id
    when the data have none."""
    if not getattr(res, "origin", {}).get("odk"):
        return
    kept = {str(r.get("cells", {}).get("name", "")).lower() for r in (getattr(instrument, "xlsform", {}) or {}).get("rows", ())}
    kept.discard("")
    kept -= {q.xls_name.lower() for q in instrument.questions} | {v.name.lower() for v in instrument.variables}
    taken = {str(c) for c in res.data.columns}
    rename = {}
    for c in res.data.columns:
        tail = re.split(r"[/\-]", str(c))[-1]
        if tail.lower() in kept and f"{META_PREFIX}{tail}" not in taken:
            rename[c] = f"{META_PREFIX}{tail}"
            taken.add(rename[c])
    if rename:
        res.data = res.data.rename(columns=rename)
        res.notes.append(f"fields of the form that are not analysed (metadata, calculates, repeats) kept as "
                         f"{', '.join(rename.values())}")
    rid = instrument.respondent_id
    if rid.lower() in {str(c).lower() for c in res.data.columns}:
        return
    for src in ODK_IDS:
        if src in res.data.columns:
            res.data.insert(0, rid, res.data[src])
            res.notes.append(f"respondent id {rid} taken from {src} (the form has no id field)")
            return
