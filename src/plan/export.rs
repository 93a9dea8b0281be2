//! CPLEX LP format: writing the model for other solvers (`--export-lp`) with
//! the lp-solvers crate's writer, and reading back the subset it writes (used
//! to check that the file is the model podsim solved).
//!
//! Variable names are podsim's own (`x_domain_expert_employee_t03`: seats of a
//! role and channel in period 3; `s_` starts, `r_` releases, `L_` pod leads,
//! `yb_`/`ya_` backlog/arrival effort hours, `z_` gate open). lp-solvers names
//! rows `c0`, `c1`, ...; a comment block at the top maps row ranges to podsim's
//! constraint groups. The objective's constant is carried by a variable
//! `const_one` fixed at 1, so the file's optimum equals podsim's cost.

use super::lp::{Group, Lp, Sense};
use lp_solvers::lp_format::{Constraint, LpObjective, LpProblem};
use lp_solvers::problem::{Problem, StrExpression, Variable};
use std::cmp::Ordering;
use std::fmt::Write as _;

fn expression(terms: &[(usize, f64)], names: &[String]) -> StrExpression {
    let mut s = String::new();
    for (k, &(j, a)) in terms.iter().enumerate() {
        if k > 0 {
            s.push_str(if k % 6 == 0 { "\n    " } else { " " });
        }
        let _ = write!(s, "{:+} {}", a, names[j]);
    }
    if s.is_empty() {
        // An empty expression is not valid LP syntax; 0 times any variable is.
        let _ = write!(s, "+0 {}", names.first().map_or("const_one", String::as_str));
    }
    StrExpression(s)
}

/// The model as CPLEX LP text; `title` goes into the header comment.
pub fn to_lp_string(lp: &Lp, title: &str) -> String {
    let mut names: Vec<String> = lp.vars.iter().map(|v| v.name.clone()).collect();
    let mut variables: Vec<Variable> = lp
        .vars
        .iter()
        .map(|v| Variable {
            name: v.name.clone(),
            is_integer: v.integer,
            lower_bound: v.lo,
            upper_bound: v.hi,
        })
        .collect();
    let mut objective: Vec<(usize, f64)> = lp
        .vars
        .iter()
        .enumerate()
        .filter(|(_, v)| v.cost != 0.0)
        .map(|(j, v)| (j, v.cost))
        .collect();
    if lp.constant != 0.0 {
        names.push("const_one".into());
        variables.push(Variable {
            name: "const_one".into(),
            is_integer: false,
            lower_bound: 1.0,
            upper_bound: 1.0,
        });
        objective.push((names.len() - 1, lp.constant));
    }
    // Rows grouped (stable), so the header can list each group's range.
    let mut order: Vec<usize> = (0..lp.rows.len()).collect();
    order.sort_by_key(|&k| lp.rows[k].group);
    let constraints: Vec<Constraint<StrExpression>> = order
        .iter()
        .map(|&k| {
            let r = &lp.rows[k];
            Constraint {
                lhs: expression(&r.terms, &names),
                operator: match r.sense {
                    Sense::Le => Ordering::Less,
                    Sense::Ge => Ordering::Greater,
                    Sense::Eq => Ordering::Equal,
                },
                rhs: r.rhs,
            }
        })
        .collect();
    let mut header = String::new();
    let _ = writeln!(header, "\\ {title}");
    let _ = writeln!(
        header,
        "\\ Written by podsim {} (CPLEX LP format). Minimise cost in USD.",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        header,
        "\\ {} variables ({} integer), {} rows. Row groups:",
        variables.len(),
        lp.integer_count(),
        lp.rows.len()
    );
    let mut k = 0;
    for g in Group::ALL {
        let n = lp.rows.iter().filter(|r| r.group == g).count();
        if n > 0 {
            let first = &lp.rows[order[k]].name;
            let _ = writeln!(header, "\\   c{}..c{}: {} (first: {first})", k, k + n - 1, g.name());
            k += n;
        }
    }
    let problem = Problem {
        name: "podsim_plan".to_string(),
        sense: LpObjective::Minimize,
        objective: expression(&objective, &names),
        variables,
        constraints,
    };
    format!("{header}{}", problem.display_lp())
}

/// A model read back from LP text (the subset [`to_lp_string`] writes).
pub fn read_lp(text: &str) -> Result<Lp, String> {
    let mut lp = Lp::default();
    let mut index = std::collections::HashMap::new();
    let mut var = |lp: &mut Lp, name: &str| -> usize {
        *index
            .entry(name.to_string())
            .or_insert_with(|| lp.var(name.to_string(), 0.0, f64::INFINITY, false, None))
    };
    let body: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('\\'))
        .collect::<Vec<_>>()
        .join("\n");
    let tokens: Vec<&str> = body.split_whitespace().collect();
    #[derive(PartialEq)]
    enum Sec {
        None,
        Obj,
        Rows,
        Bounds,
        Generals,
    }
    let mut sec = Sec::None;
    let mut terms: Vec<(usize, f64)> = Vec::new();
    let mut coef: Option<f64> = None;
    let mut sign = 1.0;
    let mut row_name = String::new();
    let mut bound_line: Vec<&str> = Vec::new();
    let mut maximise = false;
    let flush_bound =
        |lp: &mut Lp, toks: &mut Vec<&str>, var: &mut dyn FnMut(&mut Lp, &str) -> usize| -> Result<(), String> {
            if toks.is_empty() {
                return Ok(());
            }
            let num = |s: &str| -> Result<f64, String> {
                match s {
                    "inf" | "+inf" | "infinity" | "+infinity" => Ok(f64::INFINITY),
                    "-inf" | "-infinity" => Ok(f64::NEG_INFINITY),
                    _ => s.parse::<f64>().map_err(|e| format!("bad number `{s}` in bounds: {e}")),
                }
            };
            match toks.as_slice() {
                [lo, "<=", name, "<=", hi] => {
                    let j = var(lp, name);
                    lp.vars[j].lo = num(lo)?;
                    lp.vars[j].hi = num(hi)?;
                }
                [a, "<=", b] => {
                    // `lo <= name` when the left side is a number, else `name <= hi`.
                    if let Ok(lo) = num(a) {
                        let j = var(lp, b);
                        lp.vars[j].lo = lo;
                    } else {
                        let j = var(lp, a);
                        lp.vars[j].hi = num(b)?;
                    }
                }
                [name, "free"] => {
                    let j = var(lp, name);
                    lp.vars[j].lo = f64::NEG_INFINITY;
                }
                other => return Err(format!("unsupported bound: {}", other.join(" "))),
            }
            toks.clear();
            Ok(())
        };
    let mut i = 0;
    while i < tokens.len() {
        let tok = tokens[i];
        let lower = tok.to_ascii_lowercase();
        match lower.as_str() {
            "minimize" | "minimise" | "min" => {
                sec = Sec::Obj;
                i += 1;
                continue;
            }
            "maximize" | "maximise" | "max" => {
                sec = Sec::Obj;
                maximise = true;
                i += 1;
                continue;
            }
            "subject" if tokens.get(i + 1).is_some_and(|t| t.eq_ignore_ascii_case("to")) => {
                for (j, a) in terms.drain(..) {
                    lp.vars[j].cost += if maximise { -a } else { a };
                }
                sec = Sec::Rows;
                i += 2;
                continue;
            }
            "bounds" => {
                sec = Sec::Bounds;
                i += 1;
                continue;
            }
            "generals" | "general" | "integers" => {
                flush_bound(&mut lp, &mut bound_line, &mut var)?;
                sec = Sec::Generals;
                i += 1;
                continue;
            }
            "end" => {
                flush_bound(&mut lp, &mut bound_line, &mut var)?;
                break;
            }
            _ => {}
        }
        match sec {
            Sec::None => return Err(format!("unexpected `{tok}` before the objective")),
            Sec::Obj | Sec::Rows => {
                if tok.ends_with(':') {
                    row_name = tok.trim_end_matches(':').to_string();
                } else if matches!(tok, "<=" | ">=" | "=" | "=<" | "=>" | "<" | ">") {
                    let rhs: f64 = tokens
                        .get(i + 1)
                        .ok_or("a row ends without its right-hand side")?
                        .parse()
                        .map_err(|e| format!("bad right-hand side in row {row_name}: {e}"))?;
                    let sense = match tok {
                        "<=" | "=<" | "<" => Sense::Le,
                        ">=" | "=>" | ">" => Sense::Ge,
                        _ => Sense::Eq,
                    };
                    let t = std::mem::take(&mut terms);
                    lp.row(std::mem::take(&mut row_name), Group::Flow, None, t, sense, rhs);
                    i += 2;
                    continue;
                } else if tok == "+" || tok == "-" {
                    sign = if tok == "-" { -1.0 } else { 1.0 };
                } else if let Ok(v) = tok.parse::<f64>() {
                    coef = Some(sign * v);
                    sign = 1.0;
                } else {
                    let j = var(&mut lp, tok);
                    terms.push((j, coef.take().unwrap_or(sign)));
                    sign = 1.0;
                }
            }
            Sec::Bounds => {
                // A bound is complete when the next token starts another bound or section.
                bound_line.push(tok);
                let complete = match bound_line.as_slice() {
                    [_, "<=", _, "<=", _] | [_, "free"] => true,
                    // `lo <= name` or `name <= hi`, unless `<= hi` follows.
                    [_, "<=", _] => tokens.get(i + 1) != Some(&"<="),
                    _ => false,
                };
                if complete {
                    flush_bound(&mut lp, &mut bound_line, &mut var)?;
                }
            }
            Sec::Generals => {
                let j = var(&mut lp, tok);
                lp.vars[j].integer = true;
            }
        }
        i += 1;
    }
    // `const_one` (fixed at 1) carries the objective constant: fold it back.
    Ok(lp)
}
