/** The ledger page's stylesheet, inlined: system fonts only, nothing fetched. */
export const STYLE = `
:root { --ink:#1f2328; --muted:#656d76; --line:#d0d7de; --bg:#f6f8fa; --card:#fff;
  --release:#8250df; --success:#1a7f37; --rollback:#bf8700; --failure:#cf222e; --pending:#6e7781; --live:#0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg); }
header { padding: 20px 32px 12px; background: var(--card); border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
h1 .repo { margin-left: 8px; font-weight: 400; color: var(--muted); font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 18px; }
.meta { margin: 0; color: var(--muted); }
.legend { margin: 10px 0 0; display: flex; gap: 16px; flex-wrap: wrap; color: var(--muted); font-size: 12px; }
.legend .k::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; vertical-align: -1px; background: var(--c); }
.k.release { --c: var(--release); } .k.success { --c: var(--success); } .k.rollback { --c: var(--rollback); }
.k.failure { --c: var(--failure); } .k.live { --c: var(--live); }
main { padding: 20px 32px 32px; }
.env { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px 8px; margin-bottom: 20px; }
.env-head { display: flex; align-items: baseline; justify-content: space-between; gap: 16px; }
h2 { margin: 0; font-size: 17px; font-weight: 600; }
.live-now { font-size: 13px; padding: 3px 10px; border-radius: 999px; background: #ddf4ff; color: var(--live); }
.live-now.none { background: #eaeef2; color: var(--muted); }
.live-now .since { color: var(--muted); margin-left: 4px; }
.live-now .env-url { margin-left: 8px; }
.timeline { list-style: none; margin: 14px 0 0; padding: 18px 0 10px; display: flex; overflow-x: auto; position: relative; }
.timeline::before { content: ""; position: absolute; left: 0; right: 0; top: 25px; height: 2px; background: var(--line); }
.m { --c: var(--pending); position: relative; flex: 0 0 170px; padding-right: 12px; }
.m.release { --c: var(--release); } .m.success { --c: var(--success); } .m.rollback { --c: var(--rollback); }
.m.failure { --c: var(--failure); }
.m .dot { position: relative; z-index: 1; display: block; width: 16px; height: 16px; border-radius: 50%; background: var(--c);
  border: 3px solid var(--card); box-shadow: 0 0 0 1px var(--c); }
.m.release .dot { border-radius: 3px; transform: rotate(45deg); width: 14px; height: 14px; margin-left: 1px; }
.m.live .dot { box-shadow: 0 0 0 3px var(--live); }
.card { margin-top: 10px; padding: 8px 10px; border-radius: 8px; border: 1px solid var(--line); border-top: 3px solid var(--c); background: var(--card); }
.m.live .card { border-color: var(--live); border-top-color: var(--c); box-shadow: 0 1px 6px rgba(9,105,218,.18); }
.what { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--c); font-weight: 600; }
.tag { font-size: 16px; font-weight: 600; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
.detail { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
time { display: block; color: var(--muted); font-size: 11px; margin-top: 2px; }
.badge { float: right; font-size: 10px; font-weight: 700; text-transform: uppercase; color: #fff; background: var(--live); border-radius: 999px; padding: 1px 7px; }
.releases { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; }
table { border-collapse: collapse; width: 100%; margin-top: 10px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
td.tag { font-size: 14px; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.why { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.standing { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; }
.standing.verified { color: var(--success); } .standing.unattested { color: var(--rollback); } .standing.refused { color: var(--failure); }
a { color: var(--live); text-decoration: none; } a:hover { text-decoration: underline; }
.empty { color: var(--muted); }
`;
