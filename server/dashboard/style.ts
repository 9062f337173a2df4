/** The dashboard's whole stylesheet, inlined: one request, no flash of unstyled page. */
export const DASHBOARD_CSS = `
:root{--bg:#f5f6f8;--card:#fff;--text:#161b26;--muted:#667085;--line:#e6e8ec;--accent:#4f46e5;--accent-2:#a5b4fc;--soft:#eef0ff;--live:#12a150;--radius:14px;
color-scheme:light dark;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;-webkit-text-size-adjust:100%}
@media (prefers-color-scheme:dark){:root{--bg:#0e1016;--card:#161a22;--text:#e7e9ef;--muted:#9199a8;--line:#252a35;--accent:#8b93ff;--accent-2:#4b50a8;--soft:#1f2340;--live:#34d277}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text)}
a{color:inherit;text-decoration:none}
a:hover{color:var(--accent)}
.wrap{max-width:1120px;margin:0 auto;padding:20px 20px 48px}
.top{display:flex;align-items:center;gap:12px;flex-wrap:wrap;margin-bottom:22px}
.brand{font-weight:700;font-size:17px;letter-spacing:-.01em;display:flex;align-items:center;gap:8px;margin-right:auto}
.brand i{width:10px;height:10px;border-radius:50%;background:var(--accent);box-shadow:0 0 0 4px var(--soft)}
.switch{display:flex;gap:6px;align-items:center}
select,button,input{font:inherit;color:inherit}
select,input[type=password],input[type=text]{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:7px 10px}
button{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:7px 12px;cursor:pointer}
button:hover{border-color:var(--accent)}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff;font-weight:600}
.js .nojs{display:none}
.head{display:flex;align-items:flex-end;justify-content:space-between;gap:12px;flex-wrap:wrap;margin-bottom:14px}
.head h1{font-size:26px;margin:0;letter-spacing:-.02em;overflow-wrap:anywhere}
.crumb{color:var(--muted);font-size:14px;margin-bottom:2px}
.open{font-size:14px;color:var(--muted);margin-left:8px;font-weight:400}
.range{display:inline-flex;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:3px}
.range a{padding:4px 12px;border-radius:7px;color:var(--muted);font-size:14px;font-weight:600}
.range a[aria-current]{background:var(--soft);color:var(--accent)}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-bottom:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:16px 18px}
.stat .label{color:var(--muted);font-size:13px;font-weight:600;display:flex;align-items:center;gap:7px}
.stat .value{font-size:30px;font-weight:700;letter-spacing:-.02em;font-variant-numeric:tabular-nums;margin-top:4px;line-height:1.2}
.note{color:var(--muted);font-size:12.5px;margin-top:4px}
.note.up{color:var(--live)}
.note.down{color:#d9730d}
.dot{width:8px;height:8px;border-radius:50%;background:var(--muted)}
.dot.on{background:var(--live);box-shadow:0 0 0 0 var(--live);animation:pulse 2s infinite}
@keyframes pulse{0%{box-shadow:0 0 0 0 color-mix(in srgb,var(--live) 55%,transparent)}70%{box-shadow:0 0 0 8px transparent}100%{box-shadow:0 0 0 0 transparent}}
@media (prefers-reduced-motion:reduce){.dot.on{animation:none}}
.bump{animation:bump .9s ease-out}
@keyframes bump{0%{color:var(--live)}100%{color:inherit}}
h2{font-size:15px;margin:0;font-weight:700}
.card-head{display:flex;align-items:center;justify-content:space-between;gap:10px;margin-bottom:12px}
.muted{color:var(--muted)}
.small{font-size:13px}
.chart{display:grid;grid-template-columns:auto 1fr;grid-template-rows:190px auto;column-gap:10px}
.yaxis{display:flex;flex-direction:column;justify-content:space-between;text-align:right;font-size:12px;color:var(--muted);font-variant-numeric:tabular-nums;margin:-7px 0 -7px}
.plot{position:relative;border-bottom:1px solid var(--line);background:linear-gradient(var(--line) 1px,transparent 1px) 0 0/100% 50%}
.plot svg{display:block;width:100%;height:100%}
.plot rect{fill:var(--accent-2)}
.plot rect.today{fill:var(--accent)}
.plot rect.zero{fill:var(--line)}
.plot rect:hover{fill:var(--accent)}
.xaxis{grid-column:2;position:relative;height:24px;font-size:12px;color:var(--muted)}
.xaxis span{position:absolute;top:6px;transform:translateX(-50%);white-space:nowrap}
.xaxis span[style^=right]{transform:none}
details{margin-top:10px;font-size:13px}
details summary{cursor:pointer;color:var(--muted)}
details table{margin-top:8px}
.grid{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:12px;margin-top:12px}
table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
th{font-size:12px;color:var(--muted);font-weight:600;text-align:right;padding:0 0 8px 10px}
th:first-child,td:first-child{text-align:left;padding-left:0;white-space:normal}
td{padding:7px 0 7px 10px;text-align:right;border-top:1px solid var(--line);white-space:nowrap}
td.name{white-space:normal;width:100%;position:relative}
td.name a{position:relative;display:block;overflow-wrap:anywhere;padding:3px 8px}
td.name svg{position:absolute;inset:4px 0;width:100%;height:calc(100% - 8px)}
td.name rect{fill:var(--soft)}
td.name span{position:relative}
.now{color:var(--live);font-weight:600}
.feed{list-style:none;margin:0;padding:0;max-height:520px;overflow:auto}
.feed li{display:grid;grid-template-columns:auto 1fr auto;gap:10px;align-items:baseline;padding:7px 0;border-top:1px solid var(--line)}
.feed li:first-child{border-top:0}
.feed time{color:var(--muted);font-size:12px;font-variant-numeric:tabular-nums}
.feed a{overflow-wrap:anywhere}
.feed .n{color:var(--muted);font-size:12px;font-variant-numeric:tabular-nums}
.feed li.new{animation:flash 1.6s ease-out}
@keyframes flash{0%{background:var(--soft)}100%{background:transparent}}
.status{font-size:12px;color:var(--muted);display:flex;align-items:center;gap:6px}
.empty{color:var(--muted);padding:8px 0}
pre{background:var(--bg);border:1px solid var(--line);border-radius:10px;padding:12px;overflow:auto;font-size:13px}
.foot{margin-top:22px;color:var(--muted);font-size:13px;display:flex;gap:14px;flex-wrap:wrap}
.foot a{text-decoration:underline;text-underline-offset:2px}
.login{max-width:380px;margin:12vh auto 0}
.login form{display:grid;gap:10px;margin-top:14px}
.error{color:#d92d20;font-size:14px}
@media (max-width:820px){.xaxis .minor{display:none}.switch{order:3;width:100%}.switch select{flex:1;min-width:0}.cards{grid-template-columns:repeat(2,1fr)}.grid{grid-template-columns:1fr}.stat .value{font-size:25px}.wrap{padding:14px 14px 40px}.head h1{font-size:21px}.chart{grid-template-rows:150px auto}}
`;
