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
    "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
}
# Columns whose presence marks a file as an ODK/Kobo export.
ODK_MARKERS = {"_uuid", "_submission_time", "meta/instanceID", "meta-instanceID", "__version__", "KEY",
               "SubmissionDate", "formhub/uuid", "_xform_id_string"}


def odk_metadata(res: LoadedResponses) -> None:
    """Rename ODK/Kobo metadata columns to ``meta_*`` (kept in the data, ignored by the checks)."""
    cols = [str(c) for c in res.data.columns]
    if not (set(cols) & ODK_MARKERS):
        return
    res.origin["odk"] = True
    rename = {}
    taken = set(cols)
    for c in cols:
        base = c
        for sep in ("/", "-"):
            if base.startswith("meta" + sep):
                base = "meta/" + base[5:]
        if c in ODK_META or base in ODK_META:
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
