//! "Check list": the tenant ids an administrator pasted or loaded from a CSV
//! file, each checked with the contract's rule before anything is sent.

use crate::api::TenantId;

/// An id that is not a tenant id: where it was, what it was, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// 1 for the first line.
    pub line: usize,
    pub text: String,
    pub why: String,
}

/// A checked list: the tenants to provision (in order, each once), the
/// invalid ids, and how many repeats were merged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckedList {
    pub tenants: Vec<TenantId>,
    pub invalid: Vec<Invalid>,
    pub duplicates: usize,
}

impl CheckedList {
    /// "8 to provision · 2 invalid · 1 duplicate".
    pub fn summary(&self) -> String {
        let mut parts = vec![format!("{} to provision", self.tenants.len())];
        if !self.invalid.is_empty() {
            parts.push(format!("{} invalid", self.invalid.len()));
        }
        match self.duplicates {
            0 => {}
            1 => parts.push("1 duplicate".to_owned()),
            n => parts.push(format!("{n} duplicates")),
        }
        parts.join(" · ")
    }
}

/// Ids typed or pasted: one per line, or separated by commas or spaces.
pub fn check_text(text: &str) -> CheckedList {
    let words = text.lines().enumerate().flat_map(|(at, line)| {
        line.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|word| !word.is_empty())
            .map(move |word| (at + 1, word.to_owned()))
    });
    check(words)
}

/// A CSV file: the `tenantId` column where the first row names one (any
/// case, `tenant_id` and `tenant id` too), else the first column of every
/// row. Fields may be quoted (RFC 4180).
pub fn check_csv(text: &str) -> CheckedList {
    let rows: Vec<(usize, Vec<String>)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(at, line)| (at + 1, csv_fields(line)))
        .collect();
    let named = |field: &str| {
        let name: String = field
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        name == "tenantid"
    };
    let (column, skip) = match rows
        .first()
        .and_then(|(_, header)| header.iter().position(|f| named(f)))
    {
        Some(column) => (column, 1),
        None => (0, 0),
    };
    check(rows.into_iter().skip(skip).filter_map(|(line, fields)| {
        let field = fields.into_iter().nth(column)?;
        let field = field.trim().to_owned();
        (!field.is_empty()).then_some((line, field))
    }))
}

/// The fields of one CSV line: commas split, double quotes quote (`""` is
/// a quote inside a quoted field).
fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

fn check(words: impl Iterator<Item = (usize, String)>) -> CheckedList {
    let mut list = CheckedList::default();
    for (line, text) in words {
        match TenantId::parse(&text) {
            Ok(tenant) if list.tenants.contains(&tenant) => list.duplicates += 1,
            Ok(tenant) => list.tenants.push(tenant),
            Err(why) => list.invalid.push(Invalid {
                line,
                text,
                why: why.to_string(),
            }),
        }
    }
    list
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn ids(list: &CheckedList) -> Vec<&str> {
        list.tenants.iter().map(TenantId::as_str).collect()
    }

    #[test]
    fn ids_one_a_line_or_separated_by_commas_or_spaces_are_checked_and_merged() {
        let list = check_text("acme-shoes\nbeta, gamma  delta\n\nBad_Id\nbeta\n-edge\n");
        assert_eq!(ids(&list), ["acme-shoes", "beta", "gamma", "delta"]);
        assert_eq!(list.duplicates, 1);
        assert_eq!(
            list.invalid,
            [
                Invalid {
                    line: 4,
                    text: "Bad_Id".into(),
                    why: "A tenant id uses only lowercase letters a–z, digits and “-”.".into()
                },
                Invalid {
                    line: 6,
                    text: "-edge".into(),
                    why: "A tenant id cannot start or end with “-”.".into()
                },
            ]
        );
        assert_eq!(list.summary(), "4 to provision · 2 invalid · 1 duplicate");
        assert_eq!(check_text("").summary(), "0 to provision");
    }

    #[test]
    fn a_csv_file_gives_its_tenant_id_column_or_its_first() {
        let named = check_csv(
            "name,tenantId,region\r\n\"Acme, Inc.\",acme-shoes,eu\n\"Beta \"\"B\"\"\",beta,us\n",
        );
        assert_eq!(ids(&named), ["acme-shoes", "beta"]);
        let first = check_csv("acme\nbeta,ignored\n\n\"gamma\"\n");
        assert_eq!(ids(&first), ["acme", "beta", "gamma"]);
        let snake = check_csv("Tenant_ID\nBad Id\n");
        assert_eq!(snake.invalid[0].line, 2);
    }
}
