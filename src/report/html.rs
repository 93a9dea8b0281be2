//! report.html: one self-contained file — styles inline, charts as inline
//! SVG, no scripts, no external fonts, stylesheets or images — so it opens
//! offline and can be mailed or archived as is.

use super::{Block, Doc, Inline, Table};
use std::fmt::Write as _;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn inline(parts: &[Inline]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(t) => esc(t),
            Inline::Strong(t) => format!("<strong>{}</strong>", esc(t)),
            Inline::Code(t) => format!("<code>{}</code>", esc(t)),
        })
        .collect()
}

fn table(out: &mut String, t: &Table) {
    let class = |c: usize| {
        if t.numeric.get(c).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        }
    };
    out.push_str("<div class=\"table\"><table>\n<thead><tr>");
    for (c, h) in t.header.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", class(c), esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        out.push_str("<tr>");
        for (c, v) in r.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(c), esc(v));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

/// Prepares a chart's SVG document for inlining: the XML namespace is implied
/// in HTML (and dropping it keeps the file free of URLs), and the image gets
/// an accessible name.
pub fn inline_svg(svg: &str, title: &str) -> String {
    let svg = svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    svg.replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{}\" ", esc(title)), 1)
}

const STYLE: &str = r#"
:root { --ink: #222; --muted: #555; --rule: #d8d8d8; --bg-alt: #f6f6f6; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 32px 28px 64px; }
h1 { font-size: 30px; line-height: 1.25; margin: 0 0 12px; }
h2 { font-size: 23px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--rule); }
h3 { font-size: 18px; margin: 28px 0 10px; }
p, ul { margin: 0 0 12px; }
li { margin: 4px 0; }
code { font: 14px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; background: var(--bg-alt); padding: 1px 5px; border-radius: 3px; }
.table { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; font-size: 15px; }
th, td { text-align: left; vertical-align: top; padding: 6px 12px; border-bottom: 1px solid var(--rule); }
th { background: var(--bg-alt); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { white-space: normal; min-width: 5em; }
figure { margin: 8px 0 28px; }
figure svg { display: block; width: 100%; max-width: 100%; height: auto; border: 1px solid var(--rule); }
figure a { font-size: 14px; }
figcaption { color: var(--muted); font-size: 15px; margin-top: 6px; }
.meta { color: var(--muted); }
/* Phones (about 420 px): smaller type and margins; tables scroll sideways
   inside their box (the page itself never does); charts keep a width at
   which their text stays legible and scroll sideways too. */
@media (max-width: 640px) {
  body { font-size: 15px; }
  main { padding: 16px 12px 40px; }
  h1 { font-size: 23px; }
  h2 { font-size: 19px; margin-top: 28px; }
  h3 { font-size: 16px; }
  table { font-size: 13px; }
  th, td { padding: 4px 8px; }
  .chart { overflow-x: auto; -webkit-overflow-scrolling: touch; }
  .chart svg { width: 720px; max-width: none; }
  figcaption { font-size: 13px; }
}
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } figure { break-inside: avoid; } }
"#;

/// Renders the report as one self-contained HTML page.
pub fn render(doc: &Doc) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        esc(&doc.title),
        esc(&doc.title)
    );
    let mut first_para = true;
    for b in &doc.blocks {
        match b {
            Block::Heading(level, t) => {
                let _ = writeln!(out, "<h{level}>{}</h{level}>", esc(t));
            }
            Block::Para(p) => {
                let class = if first_para { " class=\"meta\"" } else { "" };
                first_para = false;
                let _ = writeln!(out, "<p{class}>{}</p>", inline(p));
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for it in items {
                    let _ = writeln!(out, "<li>{}</li>", inline(it));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => table(&mut out, t),
            Block::Figure(c) => {
                let _ = writeln!(
                    out,
                    "<figure id=\"chart-{}\">\n<div class=\"chart\">{}</div><figcaption>{}</figcaption>\n</figure>",
                    esc(&c.id),
                    inline_svg(&c.svg, &c.title),
                    esc(&c.caption)
                );
            }
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
