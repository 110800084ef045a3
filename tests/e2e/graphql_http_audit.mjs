// Run graphql-http's GraphQL-over-HTTP server audits against a live endpoint and print the results as JSON.
//
//   WENZE_AUDIT_TOKEN=wz_… node tests/e2e/graphql_http_audit.mjs http://127.0.0.1:8000/graphql web/node_modules
//
// Every request carries `Authorization: Bearer $WENZE_AUDIT_TOKEN` when that variable is set (the
// server answers 401 to a request without an identity; the token stays out of the command line).
// Prints one JSON array: [{"id", "name", "status": "ok"|"notice"|"warn"|"error", "reason"?}, …].
// Status "error" is a failed MUST, "warn" a failed SHOULD, "notice" a failed MAY (graphql-http's mapping).
// The package is loaded from the node_modules folder given (web/node_modules, filled by scripts/setup).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [url, modules] = process.argv.slice(2);
if (!url || !modules) {
  console.error('usage: node graphql_http_audit.mjs URL NODE_MODULES');
  process.exit(2);
}
const entry = pathToFileURL(resolve(modules, 'graphql-http/lib/index.mjs')).href;
const { serverAudits } = await import(entry);

const results = [];
const token = process.env.WENZE_AUDIT_TOKEN;
// The audits' own requests, with the test user's identity added.
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

for (const audit of serverAudits({ url, fetchFn })) {
  const result = await audit.fn();
  const out = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    out.reason = result.reason;
    out.httpStatus = result.response ? result.response.status : null;
  }
  results.push(out);
}
process.stdout.write(JSON.stringify(results));
