"""The delivery edge: GraphQL over HTTP, identity, audit, the CLI and the pages.

    app        the composition root (``create_app``): settings, store, search, schema, routes
    endpoint   GraphQL over HTTP; limits: the query guard (depth, tokens, cost priced by variables)
    context    the per-request context: caller, DataLoaders, the store calls' thread pool and budget
    types/     strawberry types, one concept a module, mapping what graph.queries answers
    auth/      accounts, sessions, tokens, OIDC, roles and the identity gate; audit/: the audit log
    cli        ``wenze …``; settings: every setting in one typed object

api may import everything below it (loaders/, graph/, schema/); nothing imports api.
"""
