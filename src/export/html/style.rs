//! The report's and the visit sheet's one stylesheet, inline: sized for A4 paper, the
//! summary on a page of its own, long words wrapped inside their cells.

pub const STYLE: &str = r#"
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font: 10.5px/1.35 "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", system-ui, sans-serif; color: #222; margin: 0 auto; max-width: 186mm; padding: 0; }
h1 { font-size: 19px; margin: 0 0 2px; }
h2 { font-size: 13px; margin: 8px 0 3px; border-bottom: 1.5px solid #333; break-after: avoid; }
h3 { font-size: 11.5px; margin: 8px 0 3px; break-after: avoid; }
p { margin: 3px 0; }
.meta, small, .sub { color: #555; }
small { font-size: 8.5px; }
.summary { break-after: page; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 5px; margin: 6px 0; }
.card { border: 1px solid #bbb; border-radius: 3px; padding: 3px 7px; min-width: 0; }
.card b { display: block; font-size: 15px; }
.card.main { border-color: #333; background: #f4f4f4; }
.card span { display: block; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 3px 0; table-layout: fixed; }
th, td { text-align: left; padding: 1.5px 4px; border-bottom: 1px solid #ddd; vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
th { font-weight: 600; border-bottom: 1px solid #888; }
td.n, th.n { text-align: right; }
td.code { font-family: "Noto Sans Mono", monospace; font-size: 9.5px; }
tr { break-inside: avoid; }
.bar { position: relative; background: #eee; height: 9px; width: 100%; border: 1px solid #999; margin-top: 2px; }
.bar span { position: absolute; left: 0; top: 0; bottom: 0; }
.bar i { position: absolute; top: -3px; bottom: -3px; border-left: 2px solid #000; }
.bar .ok, svg rect.ok { background: #2a7; fill: #2a7; }
.bar .bad, svg rect.bad { background: #c33; fill: #c33; }
.bar .neutral, svg rect.neutral { background: #58a; fill: #58a; }
td.ok { color: #186; font-weight: 600; }
td.bad { color: #b22; font-weight: 600; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.grid2 > * { min-width: 0; }
figure { margin: 0; }
.photos { break-inside: avoid; }
h2#photos { break-after: avoid; }
.evidence { display: flex; flex-wrap: wrap; gap: 3mm; margin: 1mm 0; }
.evidence figure { max-width: 48mm; break-inside: avoid; }
tr.files td { border-top: none; }
.evidence img { display: block; max-width: 48mm; max-height: 36mm; border: 1px solid #bbb; }
.evidence figcaption { font-size: 8pt; overflow-wrap: anywhere; }
figcaption { font-weight: 600; margin-bottom: 2px; }
svg.chart { width: 100%; height: auto; max-height: 118px; display: block; }
svg text { font-size: 9px; fill: #333; }
svg text.sub { font-size: 8px; fill: #666; }
svg line.target { stroke: #000; stroke-width: 1.5; stroke-dasharray: 4 2; }
.ranking td:first-child { width: 2.2em; }
tr.gap td { color: #555; text-align: center; }
.attention col.c-date { width: 11%; } .attention col.c-visit { width: 17%; }
.attention col.c-tech { width: 10%; } .attention col.c-list { width: 12%; }
.attention col.c-score { width: 7%; } .attention col.c-why { width: 19%; }
.attention col.c-verdict { width: 11%; } .attention col.c-receipt { width: 13%; }
.sheet dl { display: grid; grid-template-columns: 28% 72%; margin: 4px 0; }
.sheet dt { font-weight: 600; } .sheet dd { margin: 0; overflow-wrap: anywhere; }
.sheet dt, .sheet dd { padding: 1.5px 4px; border-bottom: 1px solid #eee; min-width: 0; }
.foot { margin-top: 6px; color: #555; }
@media screen { body { padding: 12mm 0; } }
"#;
