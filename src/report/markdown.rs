//! report.md: GitHub-flavoured Markdown; charts are linked image files.

use super::{Block, Doc, Inline, Table};
use std::fmt::Write as _;

/// Escapes characters Markdown would otherwise interpret.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '`' | '<' | '>' | '[' | ']' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn inline(parts: &[Inline]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(t) => esc(t),
            Inline::Strong(t) => format!("**{}**", esc(t)),
            Inline::Code(t) => format!("`{}`", t.replace('`', "'")),
        })
        .collect()
}

fn cell(s: &str) -> String {
    esc(s).replace('|', "\\|").replace('\n', " ")
}

fn table(out: &mut String, t: &Table) {
    let _ = writeln!(
        out,
        "| {} |",
        t.header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")
    );
    let rule: Vec<&str> = (0..t.header.len())
        .map(|c| {
            if t.numeric.get(c).copied().unwrap_or(false) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for r in &t.rows {
        let _ = writeln!(out, "| {} |", r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
    }
}

/// Renders the report as Markdown.
pub fn render(doc: &Doc) -> String {
    let mut out = format!("# {}\n", esc(&doc.title));
    for b in &doc.blocks {
        out.push('\n');
        match b {
            Block::Heading(level, t) => {
                let _ = writeln!(out, "{} {}", "#".repeat(*level as usize), esc(t));
            }
            Block::Para(p) => {
                let _ = writeln!(out, "{}", inline(p));
            }
            Block::List(items) => {
                for it in items {
                    let _ = writeln!(out, "- {}", inline(it));
                }
            }
            Block::Table(t) => table(&mut out, t),
            Block::Figure(c) => {
                let _ = writeln!(out, "![{}]({})\n\n{}", esc(&c.title), c.file, esc(&c.caption));
            }
        }
    }
    out
}
