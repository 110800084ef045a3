"""Small hand-written bundles for loader tests, and a canonical snapshot of a store's contents."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from schema.model import NODE_KINDS, REL_KINDS

GOOD = {
    "Region.csv": "id,name,level\n620000,甘肃省,province\n620100,兰州市,prefecture\n",
    "Organisation.csv": "id,name,kind,level\nORG-LZ-JT,兰州市交通运输局,department,prefecture\n"
    "ORG-LZ-JW,兰州市纪委监委,discipline_commission,prefecture\n",
    "Official.csv": "id,name,gender,birth_year,party_member,rank\n"
    "P1,张伟,male,1970,true,county_division_principal\n"
    "P2,王芳,female,1975,是,county_division_principal\n",
    "Inspection.csv": "id,kind,title,start,end\nINS-1,special,道路交通专项督察,2023-04-01,2023-04-20\n",
    "Issue.csv": "id,summary,severity,occurred_on,found_on,status,deadline\n"
    "ISS-1,逐利执法、以罚代管,serious,2023-03-31,2023-04-10,rectifying,2023-06-30\n",
    "Case.csv": "id,kind,title,opened_on\nCASE-1,accountability,兰州市交通运输局问责案,2023-05-01\n",
    "Measure.csv": "id,kind,decided_on\nM-1,admonishment,2023-06-01\nM-2,gov_demerit,2023-06-01\n",
    "PART_OF.csv": "from,to\n620100,620000\n",
    "IN_REGION.csv": "from,to\nORG-LZ-JT,620100\nORG-LZ-JW,620100\n",
    "HELD_POST.csv": "from,to,title,post_kind,acting,start,end\n"
    "P1,ORG-LZ-JT,局长,gov_principal,false,2020-01-01,2023-03-31\n"
    "P1,ORG-LZ-JT,代局长,gov_principal,true,2019-10-01,2019-12-31\n"
    "P2,ORG-LZ-JT,局长,gov_principal,false,2023-04-01,\n",
    "FOUND.csv": "from,to\nINS-1,ISS-1\n",
    "AT.csv": "from,to\nISS-1,ORG-LZ-JT\n",
    "LED_TO.csv": "from,to\nISS-1,CASE-1\n",
    "CONCERNS.csv": "from,to\nCASE-1,P1\nCASE-1,ORG-LZ-JT\n",
    "DECIDED.csv": "from,to\nCASE-1,M-1\nCASE-1,M-2\n",
    "APPLIES_TO.csv": "from,to\nM-1,P1\nM-2,P1\n",
}


def write_bundle(folder: Path, files: dict[str, str], bom: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        data = text.encode("utf-8")
        (folder / name).write_bytes(b"\xef\xbb\xbf" + data if bom else data)
    return folder


def snapshot(store) -> dict[str, list[tuple]]:
    """Every node and relationship, typed and sorted: equal snapshots mean equal graphs."""
    snap: dict[str, list[tuple]] = {}
    for kind in NODE_KINDS:
        rows = [r for t in store.scan_nodes(kind) for r in t.to_pylist()]
        snap[kind] = sorted((tuple(sorted(r.items())) for r in rows), key=repr)
    for kind in REL_KINDS:
        rows = [r for t in store.scan_edges(kind) for r in t.to_pylist()]
        snap[kind] = sorted((tuple(sorted(r.items(), key=lambda kv: kv[0])) for r in rows), key=repr)
    return snap


def arrow_strings(table: dict[str, list]) -> pa.Table:
    return pa.table({k: pa.array(v, pa.string()) for k, v in table.items()})
