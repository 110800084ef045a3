"""The explorer page at ``/``: a plain Chinese page to search the graph and open a node's neighbourhood.

No CDN and no framework: a little inline script calls ``/graphql``. GraphiQL lives at ``/graphql``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>问责 · 法治督察问责链条浏览</title>
<style>
 body { font: 15px/1.6 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 60em;
        color: #222; padding: 0 1em; }
 h1 { font-size: 1.5em; margin-bottom: .2em; }
 form { display: flex; gap: .5em; margin: 1em 0; }
 input[type=search] { flex: 1; padding: .4em .6em; font-size: 1em; }
 button { padding: .4em 1em; font-size: 1em; }
 li { margin: .2em 0; }
 .kind { color: #666; font-size: .85em; margin-left: .5em; }
 a { color: #0b5cad; cursor: pointer; }
 #detail { border-top: 1px solid #ddd; margin-top: 1em; padding-top: .5em; }
 .muted { color: #777; }
</style>
</head>
<body>
<h1>问责：法治督察问责链条</h1>
<p class="muted">按姓名、单位、问题或案件标题检索（支持拼音与首字母，如 zhangwei、zw），点击结果查看其关联关系。
完整查询请使用 <a href="/graphql">GraphQL 查询界面（GraphiQL）</a>。</p>
<form id="f"><input type="search" id="q" placeholder="输入检索词，例如：张伟" autofocus>
<button type="submit">检索</button></form>
<ol id="results"></ol>
<div id="detail"></div>
<script>
async function gql(query, variables) {
  const r = await fetch("/graphql", {method: "POST",
                                     headers: {"content-type": "application/json", "x-wenze-request": "1"},
                                     body: JSON.stringify({query, variables})});
  return r.json();
}
function item(n, onclick) {
  const li = document.createElement("li");
  const a = document.createElement("a"); a.textContent = n.label; a.onclick = onclick;
  const k = document.createElement("span"); k.className = "kind"; k.textContent = n.kind + " · " + n.id;
  li.append(a, k); return li;
}
async function show(id) {
  const out = await gql("query($id: ID!){ neighbourhood(id: $id, depth: 1, limit: 100) { json } }", {id});
  const d = document.getElementById("detail"); d.textContent = "";
  if (out.errors) { d.textContent = out.errors[0].message; return; }
  const g = out.data.neighbourhood.json, me = g.nodes[0];
  const h = document.createElement("h2"); h.textContent = me.label + "（" + me.kind + "）"; d.append(h);
  const byId = Object.fromEntries(g.nodes.map(n => [n.id, n]));
  const ul = document.createElement("ul");
  for (const e of g.edges) {
    const other = byId[e.source === me.id ? e.target : e.source];
    const li = item(other, () => show(other.id));
    li.prepend(document.createTextNode((e.source === me.id ? e.type + " → " : "← " + e.type + " ")));
    ul.append(li);
  }
  d.append(ul);
  if (g.truncated) {
    const p = document.createElement("p"); p.className = "muted"; p.textContent = "（结果已截断）"; d.append(p);
  }
}
document.getElementById("f").onsubmit = async (ev) => {
  ev.preventDefault();
  const text = document.getElementById("q").value.trim();
  const ol = document.getElementById("results"); ol.textContent = "";
  if (!text) return;
  const out = await gql("query($t: String!){ search(text: $t, first: 20) { id kind label } }", {t: text});
  if (out.errors) { ol.textContent = out.errors[0].message; return; }
  if (!out.data.search.length) { ol.textContent = "没有找到匹配的结果。"; return; }
  for (const n of out.data.search) ol.append(item(n, () => show(n.id)));
};
</script>
</body>
</html>
"""


async def explorer_page(request: Request) -> HTMLResponse:
    return HTMLResponse(PAGE)
