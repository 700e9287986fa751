//! SPEC §2 (numbers come from per-company numbering series without gaps): formatting a series number.
//!
//! The counter itself lives in the database (creance-store takes the next value inside the writing
//! transaction); this module only turns a counter value into text, e.g. `LR-2026-00042`.

/// A fixed prefix followed by the zero-padded counter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesFormat {
    pub prefix: String,
    pub width: u32,
}

impl SeriesFormat {
    /// `prefix` + `n` padded with zeros to `width` digits (`"LR-2026-"`, 5, 42 → `"LR-2026-00042"`).
    /// A number wider than `width` is written in full.
    pub fn format(&self, n: i64) -> String {
        format!("{}{:0width$}", self.prefix, n, width = self.width as usize)
    }
}

/// Widest accepted `{#…}` placeholder.
pub const SERIES_WIDTH_MAX: usize = 18;

/// A numbering pattern such as `LR-{YYYY}-{#####}`: `{YYYY}` is the year (four digits), `{YY}` its last two
/// digits, and `{#…}` the counter zero-padded to as many digits as there are `#`. Other text is literal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SeriesPattern(pub String);

/// Checks `p` and wraps it (same as [`SeriesPattern::parse`]).
pub fn parse_pattern(p: &str) -> Result<SeriesPattern, String> {
    SeriesPattern::parse(p)
}

impl SeriesPattern {
    /// Wraps a pattern without checking it; [`SeriesPattern::render`] reports any mistake.
    pub fn new(pattern: impl Into<String>) -> SeriesPattern {
        SeriesPattern(pattern.into())
    }

    /// Wraps a pattern after checking that it renders.
    pub fn parse(pattern: &str) -> Result<SeriesPattern, String> {
        let p = SeriesPattern::new(pattern);
        p.render(2000, 1)?;
        Ok(p)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number `n` of `year`: `LR-{YYYY}-{#####}`, 2026, 42 → `LR-2026-00042`.
    pub fn render(&self, year: i32, n: i64) -> Result<String, String> {
        let p = &self.0;
        if n < 0 {
            return Err(format!("numbering pattern {p:?}: the counter cannot be negative ({n})"));
        }
        let mut out = String::with_capacity(p.len() + 8);
        let mut rest = p.as_str();
        let mut counters = 0;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close =
                after.find('}').ok_or_else(|| format!("numbering pattern {p:?}: a '{{' is not closed by '}}'"))?;
            let name = &after[..close];
            match name {
                "YYYY" => out.push_str(&format!("{year:04}")),
                "YY" => out.push_str(&format!("{:02}", year.rem_euclid(100))),
                _ if !name.is_empty() && name.bytes().all(|b| b == b'#') => {
                    if name.len() > SERIES_WIDTH_MAX {
                        return Err(format!("numbering pattern {p:?}: at most {SERIES_WIDTH_MAX} '#' are allowed"));
                    }
                    counters += 1;
                    out.push_str(&format!("{n:0width$}", width = name.len()));
                }
                _ => {
                    return Err(format!(
                        "numbering pattern {p:?}: unknown placeholder {{{name}}} (use {{YYYY}}, {{YY}} or {{#####}})"
                    ))
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        match counters {
            1 => Ok(out),
            0 => Err(format!("numbering pattern {p:?} has no counter placeholder such as {{#####}}")),
            _ => Err(format!("numbering pattern {p:?} has more than one counter placeholder")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_format() {
        let f = SeriesFormat { prefix: "LR-2026-".into(), width: 5 };
        assert_eq!(f.format(42), "LR-2026-00042");
        assert_eq!(f.format(1_234_567), "LR-2026-1234567");
        assert_eq!(SeriesFormat { prefix: String::new(), width: 0 }.format(7), "7");
    }

    #[test]
    fn pattern_render_table() {
        let cases = [
            ("LR-{YYYY}-{#####}", 2026, 42, "LR-2026-00042"),
            ("FA{YY}{####}", 2026, 7, "FA260007"),
            ("{#}", 2026, 123, "123"),
            ("R{YYYY}/{###}-X", 2031, 5, "R2031/005-X"),
            ("É-{YYYY}-{##}", 2026, 3, "É-2026-03"),
        ];
        for (p, year, n, want) in cases {
            assert_eq!(SeriesPattern::new(p).render(year, n).as_deref(), Ok(want), "{p}");
        }
    }

    #[test]
    fn pattern_errors() {
        for p in ["LR-{YYYY}", "LR-{#####", "LR-{MM}-{###}", "{##}{##}", "{}", "{###################}"] {
            let e = SeriesPattern::new(p).render(2026, 1).unwrap_err();
            assert!(e.contains(p), "{e}");
            assert!(parse_pattern(p).is_err());
        }
        assert!(SeriesPattern::new("{#}").render(2026, -1).is_err());
        assert!(SeriesPattern::new("LR-{YYYY}").render(2026, 1).unwrap_err().contains("no counter placeholder"));
        assert_eq!(parse_pattern("A{#}").map(|p| p.as_str().to_string()), Ok("A{#}".to_string()));
    }
}
