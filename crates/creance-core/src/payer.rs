//! SPEC §3 (customers): a customer's payer is another customer or itself, and following payers from any
//! customer must end at a customer who pays for itself. A cycle (A pays for B, B pays for A, or longer)
//! would leave nobody to dun, so imports refuse it; this module finds such cycles.
//!
//! The payer relation gives each customer at most one outgoing link, so every cycle is found by walking
//! from each customer once (each customer is visited at most twice in all: linear time).

use std::collections::HashMap;

/// Every cycle in the payer links `customer number → payer number` (a customer paying for itself is
/// not a link). Each cycle is listed once, starting at its smallest number and ending where it starts
/// (`["C002", "C003", "C002"]`); cycles are sorted by their first number.
pub fn payer_cycles(links: &HashMap<String, String>) -> Vec<Vec<String>> {
    // 0 = not visited, 1 = on the current walk, 2 = done
    let mut state: HashMap<&str, u8> = HashMap::with_capacity(links.len());
    let mut cycles = Vec::new();
    let mut starts: Vec<&str> = links.keys().map(String::as_str).collect();
    starts.sort_unstable();
    for start in starts {
        if state.get(start).copied().unwrap_or(0) != 0 {
            continue;
        }
        let mut walk: Vec<&str> = Vec::new();
        let mut at = start;
        loop {
            match state.get(at).copied().unwrap_or(0) {
                0 => {
                    state.insert(at, 1);
                    walk.push(at);
                    match links.get(at) {
                        Some(next) if next != at => at = next.as_str(),
                        _ => break,
                    }
                }
                1 => {
                    // `at` is on the current walk: the walk from `at` on is a cycle.
                    let from = walk.iter().position(|n| *n == at).unwrap_or(0);
                    let mut cycle: Vec<String> = walk[from..].iter().map(|n| n.to_string()).collect();
                    let min = cycle.iter().enumerate().min_by(|a, b| a.1.cmp(b.1)).map_or(0, |(i, _)| i);
                    cycle.rotate_left(min);
                    cycle.push(cycle[0].clone());
                    cycles.push(cycle);
                    break;
                }
                _ => break,
            }
        }
        for n in walk {
            state.insert(n, 2);
        }
    }
    cycles.sort();
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn chains_and_self_payers_have_no_cycle() {
        assert!(payer_cycles(&links(&[("A", "B"), ("B", "C"), ("D", "C"), ("C", "C")])).is_empty());
        assert!(payer_cycles(&HashMap::new()).is_empty());
    }

    #[test]
    fn two_and_three_customer_cycles_are_found_once() {
        let got = payer_cycles(&links(&[("C003", "C002"), ("C002", "C003"), ("X", "C002")]));
        assert_eq!(got, vec![vec!["C002", "C003", "C002"]]);
        let got = payer_cycles(&links(&[("B", "C"), ("C", "A"), ("A", "B"), ("E", "F"), ("F", "E"), ("Z", "A")]));
        assert_eq!(got, vec![vec!["A", "B", "C", "A"], vec!["E", "F", "E"]]);
    }
}
