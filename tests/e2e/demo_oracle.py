"""An independent oracle over the demo's tables: the expected answers, computed straight from the rows.

It reads ``loaders.demo.generate(...)`` output (string tables, as the bundle files would be) and
applies MODEL.md's rules (``schema.rules``) with plain Python, without the store or graph.queries,
so the e2e tests compare two independent computations of the same exact values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import pyarrow as pa

from schema import rules


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass
class DemoOracle:
    tables: dict[str, pa.Table]
    rows: dict[str, list[dict[str, Any]]] = field(init=False)

    def __post_init__(self) -> None:
        self.rows = {name: t.to_pylist() for name, t in self.tables.items()}

    def nodes(self, kind: str) -> dict[str, dict[str, Any]]:
        return {r["id"]: r for r in self.rows.get(kind, [])}

    def rel(self, kind: str) -> list[dict[str, Any]]:
        return self.rows.get(kind, [])

    @cached_property
    def kind_of(self) -> dict[str, str]:
        from schema.model import NODE_KINDS

        return {r["id"]: k for k in NODE_KINDS for r in self.rows.get(k, [])}

    def out(self, kind: str, source: str) -> list[str]:
        return [r["to"] for r in self.rel(kind) if r["from"] == source]

    def into(self, kind: str, target: str) -> list[str]:
        return [r["from"] for r in self.rel(kind) if r["to"] == target]

    # ------------------------------------------------------------ posts and principals

    def posts(self, official: str, on: date | None = None) -> list[dict[str, Any]]:
        out = []
        for r in self.rel("HELD_POST"):
            if r["from"] != official:
                continue
            start, end = _d(r.get("start")), _d(r.get("end"))
            if on is None or rules.post_covers(start, end, on):
                out.append(
                    {
                        "organisation": r["to"],
                        "title": r.get("title"),
                        "postKind": r["post_kind"].upper(),
                        "acting": r.get("acting") == "true",
                        "start": r.get("start"),
                        "end": r.get("end"),
                    }
                )
        return sorted(out, key=lambda p: (p["start"] or "", p["organisation"]))

    def principal_rows(self, org: str) -> list[dict[str, Any]]:
        return [
            {"official": r["from"], "post_kind": r["post_kind"], "start": _d(r.get("start")), "end": _d(r.get("end"))}
            for r in self.rel("HELD_POST")
            if r["to"] == org
        ]

    def principals_at(self, org: str, on: date) -> list[str]:
        return rules.principals_at(self.principal_rows(org), on)

    # ------------------------------------------------------------ chains

    def cases_of_issue(self, issue: str) -> list[str]:
        cases = []
        for target in self.out("LED_TO", issue):
            if self.kind_of.get(target) == "Case":
                cases.append(target)
            elif self.kind_of.get(target) == "Clue":
                cases += self.out("LED_TO", target)
        case_rows = self.nodes("Case")
        return sorted(set(cases), key=lambda c: (case_rows[c].get("opened_on") or "9999", c))

    def chain(self, issue_id: str, today: date) -> dict[str, Any]:
        issue = self.nodes("Issue")[issue_id]
        iss = {
            "id": issue_id,
            "status": issue.get("status"),
            "deadline": _d(issue.get("deadline")),
            "feedback_on": _d(issue.get("feedback_on")),
        }
        explicit = [(r["to"], r["kind"]) for r in self.rel("RESPONSIBLE") if r["from"] == issue_id]
        org = self.out("AT", issue_id)[0]
        responsible = rules.responsible_for_issue(
            explicit, self.principal_rows(org), _d(issue.get("occurred_on")), _d(issue.get("found_on"))
        )
        step_rows = self.nodes("RectificationStep")
        steps = sorted(self.out("HAS_STEP", issue_id), key=lambda s: (step_rows[s].get("date") or "9999", s))
        cases = self.cases_of_issue(issue_id)
        measure_rows, transfer_rows = self.nodes("Measure"), self.nodes("Transfer")
        measures = sorted(
            (m for c in cases for m in self.out("DECIDED", c)),
            key=lambda m: (measure_rows[m].get("decided_on") or "9999", m),
        )
        transfers = sorted(
            (t for c in cases for t in self.out("TRANSFERRED", c)),
            key=lambda t: (transfer_rows[t].get("transferred_on") or "9999", t),
        )
        exposure_rows = self.nodes("Exposure")
        exposures = sorted(
            {x for c in cases for x in self.out("EXPOSED_IN", c)},
            key=lambda x: (exposure_rows[x].get("published_on") or "9999", x),
        )
        case_dicts = [{"closed_on": _d(self.nodes("Case")[c].get("closed_on"))} for c in cases]
        transfer_dicts = [
            {
                "id": t,
                "outcome": transfer_rows[t].get("outcome"),
                "transferred_on": _d(transfer_rows[t].get("transferred_on")),
            }
            for t in transfers
        ]
        stage = rules.chain_stage(iss, [step_rows[s]["kind"] for s in steps], case_dicts, len(measures), transfer_dicts)
        overdue = rules.overdue_items(iss, transfer_dicts, today)
        return {
            "organisation": {"id": org},
            "responsible": [
                {"official": {"id": r.official}, "kind": r.kind.upper(), "basis": r.basis.upper()} for r in responsible
            ],
            "steps": [{"id": s} for s in steps],
            "cases": [{"id": c} for c in cases],
            "measures": [
                {
                    "id": m,
                    "form": rules.form_of(measure_rows[m]["kind"]),
                    "subject": {"id": self.out("APPLIES_TO", m)[0]},
                }
                for m in measures
            ],
            "transfers": [{"id": t} for t in transfers],
            "exposures": [{"id": x} for x in exposures],
            "stage": stage.upper(),
            "overdue": [
                {"kind": o.kind, "due": o.due.isoformat(), "daysOver": o.days_over, "node": {"id": o.node}}
                for o in overdue
            ],
        }

    # ------------------------------------------------------------ four forms of a campaign

    def campaign_four_forms(self, campaign: str) -> dict[str, int]:
        inspections = self.into("PART_OF", campaign)
        issues = [i for insp in inspections for i in self.out("FOUND", insp)]
        cases = sorted({c for i in issues for c in self.cases_of_issue(i)})
        measure_rows, transfer_rows = self.nodes("Measure"), self.nodes("Transfer")
        facts = rules.AccountabilityFacts()
        for c in cases:
            officials = tuple(s for s in self.out("CONCERNS", c) if self.kind_of.get(s) == "Official")
            for m in self.out("DECIDED", c):
                subject = self.out("APPLIES_TO", m)[0]
                facts.measures.append(
                    rules.MeasureFact(m, measure_rows[m]["kind"], subject, self.kind_of.get(subject) == "Official", c)
                )
            for t in self.out("TRANSFERRED", c):
                facts.transfers.append(rules.TransferFact(t, transfer_rows[t]["kind"], c, officials))
            if self.out("EXPOSED_IN", c):
                facts.exposed_cases.add(c)
        n = rules.count_four_forms(facts)
        return {
            "form1": n.form1,
            "form2": n.form2,
            "form3": n.form3,
            "form4": n.form4,
            "heldAccountable": n.held_accountable,
            "sanctioned": n.sanctioned,
            "partySanctioned": n.party_sanctioned,
            "govSanctioned": n.gov_sanctioned,
            "transferredToDiscipline": n.transferred_to_discipline,
            "transferredToJudicial": n.transferred_to_judicial,
            "exposedCases": n.exposed_cases,
        }

    def neighbours(self, node: str) -> set[str]:
        from schema.model import REL_KINDS

        out: set[str] = set()
        for kind in REL_KINDS:
            for r in self.rel(kind):
                if r["from"] == node:
                    out.add(r["to"])
                if r["to"] == node:
                    out.add(r["from"])
        return out
