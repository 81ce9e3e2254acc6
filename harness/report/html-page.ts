import { escapeHtml } from './escape-html.ts';

/**
 * The page shell: inline CSS only, and a Content-Security-Policy that forbids every script and
 * every fetch, so the report works offline and a string that slipped past escaping still could
 * not run or call home.
 */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="tuneproof">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const css = `
:root { --fg:#1f2933; --muted:#616e7c; --line:#d9dee5; --bg:#fff; --soft:#f5f7fa;
  --good:#2e7d32; --bad:#c62828; --warn:#b26a00; --info:#1565c0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; padding: 24px 28px 60px; max-width: 1280px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 22px 0 6px; }
h4 { font-size: 13px; margin: 16px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
p, ul { margin: 6px 0; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
small, .muted { color: var(--muted); }
.banner { border-radius: 8px; padding: 14px 18px; margin: 14px 0 10px; font-size: 16px; font-weight: 600;
  border: 1px solid; }
.banner.pass { background: #e8f5e9; border-color: #a5d6a7; color: #1b5e20; }
.banner.fail { background: #ffebee; border-color: #ef9a9a; color: #b71c1c; }
.banner.invalid { background: #fff8e1; border-color: #ffe082; color: #8d5a00; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 22px; color: var(--muted); font-size: 13px; margin: 0; padding: 0; list-style: none; }
.facts b { color: var(--fg); font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.attention td { background: #fff8e1; }
tr.excluded td { color: var(--muted); }
.badge { display: inline-block; border-radius: 10px; padding: 1px 9px; font-size: 12px; font-weight: 600;
  white-space: nowrap; color: #fff; }
.v-improved { background: var(--good); }
.v-regressed { background: var(--bad); }
.v-no-significant-change { background: #78909c; }
.v-changed { background: var(--info); }
.v-invalid { background: var(--warn); }
.v-equivalent { background: #5c8f6a; }
.v-inconclusive { background: #9e9d24; }
.environment { border-left: 4px solid var(--warn); padding: 6px 10px; background: #fff8e1; }
.slo-pass { color: var(--good); font-weight: 600; }
.slo-miss { color: var(--bad); font-weight: 600; }
.slo-info { color: var(--muted); }
.reason { display: block; color: var(--muted); font-size: 12px; margin-top: 2px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: baseline; }
.charts { display: flex; flex-wrap: wrap; gap: 14px 26px; margin: 6px 0 12px; }
.chart { max-width: 100%; overflow-x: auto; }
.chart svg { display: block; max-width: 100%; height: auto; }
details { margin: 6px 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; }
details > summary { cursor: pointer; font-weight: 600; }
details[open] > summary { margin-bottom: 6px; }
.pair-head { font-size: 14px; margin: 12px 0 4px; }
.notes li { color: var(--warn); }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px; border-top: 1px solid var(--line); padding-top: 10px; }
@media print { body { max-width: none; padding: 0; } }
`;
