"""The audit log (CONTRACT §4 "Audit"): append-only JSON Lines outside the graph, a keyed hash chain.

    from api.audit import AuditLog, AuditUnavailable, record_event, verify_log
    record_event(settings, "export", user="admin", path="out/")     # for commands: loads, exports

Modules: ``chain`` (canonical form, HMAC-SHA256 / HMAC-SM3, the key file), ``log`` (appending,
daily rotation, checkpoints, retention), ``verify`` (checking the chain, reading entries back),
``answer`` (the audited nodes in a GraphQL answer), ``commands`` (``wenze audit verify|show``).

May import: api.settings (types only), graphql-core, cryptography. Nothing from api.auth, graph/ or loaders/.
"""

from api.audit.chain import AuditKeyError, load_key
from api.audit.log import AuditLog, AuditUnavailable, record_event
from api.audit.verify import VerifyReport, read_entries, verify_log

__all__ = [
    "AuditKeyError",
    "AuditLog",
    "AuditUnavailable",
    "VerifyReport",
    "load_key",
    "read_entries",
    "record_event",
    "verify_log",
]
