"""Domain questions answered on the storage port, one home each, so every backend gives the same answers.

    chain(store, "ISS-1", today=date(2024, 1, 1)).stage              # 'accountability'
    posts_of(store, ["OFF-1"], on=date(2023, 5, 1))["OFF-1"]          # [Post(...)]
    four_forms(store, StatsFilter(campaign_id="CAMP-1")).total()      # FourFormsCount(form1=…, …)
    neighbourhood(store, "OFF-1", depth=2, limit=200).as_json()       # {"nodes", "edges", "truncated"}

One module per topic: ``labels``, ``records``, ``posts``, ``regions``, ``responsibility``, ``issues``, ``chain``,
``timeline``, ``four_forms``, ``figures`` (study and 述法), ``subgraphs``. They import ``graph.port``,
``schema`` and each other, never ``loaders`` or ``api``. Every traversal is a handful of batched port
calls (one ``edges`` call per hop for a whole frontier, one ``get_nodes`` for the records at the end),
never one query per node, and every function the API calls per object takes a collection of ids so a
DataLoader can batch it. The API only maps what these return.
"""

from graph.port import property_key
from graph.queries.chain import Chain, ChainDocument, StageReached, chain, chains
from graph.queries.figures import (
    DutyReportFigures,
    StudyFigures,
    duty_report_counts,
    duty_report_figures,
    study_counts,
    study_figures,
)
from graph.queries.four_forms import FourFormsResult, StatsFilter, four_forms, four_forms_counts
from graph.queries.issues import ChainRole, IssueFilter, chains_of_official, find_issues, issues_of_cases
from graph.queries.labels import json_value, labels_for, node_label
from graph.queries.posts import Post, holders_of, posts_of, principals_at
from graph.queries.records import records_from_scan
from graph.queries.regions import child_regions, region_parents, region_subtree, regions_of_orgs
from graph.queries.responsibility import Responsibility, responsible_for
from graph.queries.subgraphs import Subgraph, neighbourhood, paths
from graph.queries.timeline import TimelineEntry, measure_form, measure_in_effect, measure_period_end, timeline

__all__ = [
    "Chain",
    "DutyReportFigures",
    "StudyFigures",
    "duty_report_counts",
    "duty_report_figures",
    "study_counts",
    "study_figures",
    "ChainDocument",
    "Responsibility",
    "ChainRole",
    "FourFormsResult",
    "IssueFilter",
    "Post",
    "StageReached",
    "StatsFilter",
    "Subgraph",
    "TimelineEntry",
    "chain",
    "chains",
    "chains_of_official",
    "child_regions",
    "find_issues",
    "four_forms",
    "four_forms_counts",
    "holders_of",
    "issues_of_cases",
    "json_value",
    "labels_for",
    "measure_form",
    "measure_in_effect",
    "measure_period_end",
    "neighbourhood",
    "node_label",
    "paths",
    "posts_of",
    "principals_at",
    "responsible_for",
    "property_key",
    "records_from_scan",
    "region_parents",
    "region_subtree",
    "regions_of_orgs",
    "timeline",
]
