"""Read, validate and load bundles (CONTRACT §1); export the graph back to one; the Gansu demo data."""

from loaders.bundle import RawBundle, from_tables, read_bundle
from loaders.export import export_bundle
from loaders.limits import LoadLimits
from loaders.load import LoadReport, load
from loaders.problems import BundleRejected, BundleUnreadable, LoaderError, Problem
from loaders.validate import validate

__all__ = [
    "BundleRejected", "BundleUnreadable", "LoadLimits", "LoadReport", "LoaderError", "Problem", "RawBundle",
    "export_bundle", "from_tables", "load", "read_bundle", "validate",
]
