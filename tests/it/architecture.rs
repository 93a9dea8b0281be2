//! The module boundaries of ARCHITECTURE.md ("Dependencies"), checked on
//! the source text in the spirit of rust-analyzer's tidy tests: every
//! `src/**/*.rs` is read, comments dropped, and what it names — `crate::x`
//! paths (in `use` or inline), external crates, `std::fs` / `std::env` — is
//! matched against the rules below. Keep this table and that section of
//! ARCHITECTURE.md saying the same thing; a new rule is one more row.

use std::fs;
use std::path::{Path, PathBuf};

/// Who may name what. `modules` are top-level modules (`src/x.rs` or
/// `src/x/`); `except` lists top-level modules the rule does not apply to.
struct Rule {
    /// What ARCHITECTURE.md says, for the failure message.
    says: &'static str,
    /// Files the rule applies to: top-level modules, or "*" for all.
    applies_to: &'static [&'static str],
    /// Modules (or files, as `sim/engine`) exempt from it.
    except: &'static [&'static str],
    /// Path prefixes that must not appear in those files.
    forbidden: &'static [&'static str],
}

const ALL: &[&str] = &["*"];

const RULES: &[Rule] = &[
    Rule {
        says: "only `plan` imports solvers (good_lp, microlp)",
        applies_to: ALL,
        except: &["plan"],
        forbidden: &["good_lp::", "microlp::"],
    },
    Rule {
        says: "only `charts` imports plotters",
        applies_to: ALL,
        except: &["charts"],
        forbidden: &["plotters::", "plotters_"],
    },
    Rule {
        says: "nothing below `cli` imports `cli`",
        applies_to: ALL,
        except: &["cli", "main"],
        forbidden: &["crate::cli", "podsim::cli"],
    },
    Rule {
        says: "`sim` imports nothing above `model`, `dist`, `stats` (and `calendar`)",
        applies_to: &["sim"],
        except: &[],
        forbidden: &[
            "crate::aggregate",
            "crate::analysis",
            "crate::charts",
            "crate::output",
            "crate::plan",
            "crate::report",
            "crate::runner",
            "crate::scenario",
            "crate::selfcheck",
            "crate::sweep",
        ],
    },
    Rule {
        says: "the engine reads no files and no environment, starts no threads",
        applies_to: &["sim"],
        except: &[],
        forbidden: &["std::fs", "std::env", "std::thread", "rayon::", "std::io::stdin"],
    },
    Rule {
        says: "`plan` imports neither `output` nor `metrics::format` (it returns data; `output::plan` words it)",
        applies_to: &["plan"],
        except: &[],
        forbidden: &["crate::output", "crate::metrics::format"],
    },
    Rule {
        says: "`report` does not import `scenario::validate` (it reads result files)",
        applies_to: &["report"],
        except: &[],
        forbidden: &["crate::scenario::validate"],
    },
    Rule {
        says: "`charts` and `report` read result files and never run the simulator",
        applies_to: &["charts", "report"],
        except: &[],
        forbidden: &["crate::runner", "crate::sim::Sim", "crate::sweep::simulate"],
    },
    Rule {
        says: "the Monte Carlo layers below `cli` read no files and no environment",
        applies_to: &[
            "runner",
            "aggregate",
            "analysis",
            "sweep",
            "plan",
            "model",
            "contract",
            "dist",
            "stats",
            "selfcheck",
            "backtest",
            "fit",
            "uncertainty",
        ],
        except: &[],
        forbidden: &["std::fs", "std::env"],
    },
];

/// Known breaches, each (file, forbidden path) with its owner's plan. The
/// test fails if one disappears too, so the list only ever shrinks.
const KNOWN: &[(&str, &str, &str)] = &[];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The source without comments (line and block) or string contents, so
/// prose and messages that mention a module are not imports.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            i += 2;
            while i < b.len() && !b[i..].starts_with(b"*/") {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' && (i == 0 || b[i - 1] != b'\'') {
            // Raw strings (r"..", r#".."#) and ordinary ones: skip to the end.
            let hashes = (0..i).rev().take_while(|&k| b[k] == b'#').count();
            let raw = i > hashes && b[i - hashes - 1] == b'r';
            i += 1;
            loop {
                if i >= b.len() {
                    break;
                }
                if !raw && b[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if b[i] == b'"' && (!raw || b[i + 1..].iter().take(hashes).filter(|&&c| c == b'#').count() == hashes) {
                    i += 1 + if raw { hashes } else { 0 };
                    break;
                }
                i += 1;
            }
            out.push_str("\"\"");
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// `use crate::{a, b::c}` groups flattened to `crate::a`, `crate::b::c`, so
/// a rule on `crate::b` sees them.
fn expand_groups(code: &str) -> String {
    let mut out = code.to_string();
    let mut from = 0;
    while let Some(k) = code[from..].find("crate::{") {
        let start = from + k + "crate::{".len();
        let mut depth = 1;
        let mut end = start;
        for (j, c) in code[start..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = start + j;
                break;
            }
        }
        // Split at top-level commas only: `output::{self, table}` is one item.
        let mut level = 0;
        let mut item_start = start;
        for (j, c) in code[start..=end].char_indices() {
            match c {
                '{' => level += 1,
                '}' if level > 0 => level -= 1,
                ',' | '}' if level == 0 => {
                    let item = code[item_start..start + j].trim();
                    if !item.is_empty() {
                        out.push_str(&format!("\ncrate::{item}"));
                    }
                    item_start = start + j + 1;
                }
                _ => {}
            }
        }
        from = end.max(start);
    }
    out
}

/// `plan` for src/plan/mod.rs and src/plan/lp.rs; `runner` for src/runner.rs.
fn top_module(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.trim_end_matches(".rs").to_string()
}

fn breaches() -> Vec<(String, String, &'static str)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(files.len() > 50, "read the source tree");
    let mut found = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap();
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        // Unit-test files (`x/tests.rs`) build their models from TOML for
        // brevity; the boundaries are about the code that ships.
        if rel.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let module = top_module(rel);
        let code = expand_groups(&code_only(&fs::read_to_string(&f).unwrap()));
        for rule in RULES {
            let applies = rule.applies_to == ALL || rule.applies_to.contains(&module.as_str());
            let exempt = rule
                .except
                .iter()
                .any(|e| *e == module || rel_s.trim_end_matches(".rs") == *e);
            if !applies || exempt {
                continue;
            }
            for bad in rule.forbidden {
                if code.contains(bad) {
                    found.push((rel_s.clone(), bad.to_string(), rule.says));
                }
            }
        }
    }
    found
}

#[test]
fn modules_import_only_across_the_stated_boundaries() {
    let found = breaches();
    let new: Vec<String> = found
        .iter()
        .filter(|(file, bad, _)| !KNOWN.iter().any(|(f, b, _)| f == file && b == bad))
        .map(|(file, bad, says)| format!("src/{file} names `{bad}`, but {says} (ARCHITECTURE.md)"))
        .collect();
    assert!(new.is_empty(), "module boundaries broken:\n{}", new.join("\n"));
    let fixed: Vec<String> = KNOWN
        .iter()
        .filter(|(f, b, _)| !found.iter().any(|(file, bad, _)| file == f && bad == b))
        .map(|(f, b, why)| format!("src/{f} no longer names `{b}` ({why}): remove it from KNOWN"))
        .collect();
    assert!(fixed.is_empty(), "{}", fixed.join("\n"));
}

#[test]
fn the_scanner_sees_imports_and_ignores_prose() {
    let text = "//! crate::cli in a comment\nuse crate::{model::Model, output::{self, table}};\nlet s = \"crate::plan in a string\";\nlet r = r#\"good_lp:: \"raw\" \"#;\nfn f() { crate::runner::run_one(); }\n";
    let code = expand_groups(&code_only(text));
    assert!(code.contains("crate::model::Model"));
    assert!(code.contains("crate::output::{self, table}"));
    assert!(code.contains("crate::runner"));
    assert!(!code.contains("crate::cli"), "{code}");
    assert!(!code.contains("crate::plan"), "{code}");
    assert!(!code.contains("good_lp"), "{code}");
    assert_eq!(top_module(Path::new("plan/lp.rs")), "plan");
    assert_eq!(top_module(Path::new("runner.rs")), "runner");
}
