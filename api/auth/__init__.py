"""Identity: who may call wenze, how they prove it, and what their roles let them read (CONTRACT §4).

Modules (import from them; this package file imports nothing, so ``api.context`` can use ``roles``):

- ``roles``          the six roles as data, with their Chinese names (imports schema/ only)
- ``credentials``    password rules and argon2id hashes, TOTP, API token and session secrets
- ``store``          the ``AccountStore`` port, its records and ``open_account_store``
- ``sqlite_store``   the embedded implementation (a SQLite file in WENZE_DATA_DIR)
- ``neo4j_accounts`` the Neo4j implementation (``_WenzeUser``/``_WenzeSession``/``_WenzeToken`` nodes)
- ``accounts``       policy: sign-in, lock-out, timeouts, tokens, user changes (audited)
- ``oidc``           OIDC bearer tokens verified offline against a JWKS file (joserfc)
- ``edge``           the HTTP edge: a request becomes a ``Caller`` or is refused; CSRF; rate limits; audit
- ``pages``          ``/login`` (Chinese), ``/logout`` and the JSON ``/auth/*`` routes
- ``commands``       ``wenze user …`` and ``wenze token …``

May import: api.context, api.settings, api.errors, api.audit, schema/. Not graph/ or loaders/
(the Neo4j account store uses the neo4j driver directly, on labels the graph never reads).
"""
