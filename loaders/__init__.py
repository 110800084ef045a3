"""Read, validate and load bundles (CONTRACT §1); export the graph back to one; the Gansu demo data.

    bundle, csv_reader, xlsx_reader, zip_members   read a folder, .zip or .xlsx within ``LoadLimits``
    validate   every row checked against schema/ (problems name file, row and column)
    load       validate, then write in one transaction through the port; export: the way back
    demo/      the Gansu 2023 demonstration data, one module per stage of 学述考督责

loaders may import graph/ and schema/, never api/.
"""

from loaders.bundle import RawBundle, from_tables, read_bundle
from loaders.export import export_bundle
from loaders.limits import LoadLimits
from loaders.load import LoadReport, load
from loaders.problems import BundleRejected, BundleUnreadable, LoaderError, Problem
from loaders.validate import validate

__all__ = [
    "BundleRejected",
    "BundleUnreadable",
    "LoadLimits",
    "LoadReport",
    "LoaderError",
    "Problem",
    "RawBundle",
    "export_bundle",
    "from_tables",
    "load",
    "read_bundle",
    "validate",
]
