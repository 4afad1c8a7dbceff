//! "Check list": the tenant ids an administrator typed or pasted in the box
//! and the rows of a CSV file they chose, each checked with the contract's
//! rule before anything is sent. Every typed id and every row of the file
//! is accounted for: to provision, invalid (with its line and why),
//! duplicate or empty.

use std::collections::HashSet;

use csv_core::{ReadRecordResult, Reader};

use crate::api::TenantId;

/// An id that is not a tenant id: where it was, what it was, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// 1 for the first line (of the box, or of the file: the physical line
    /// where the row starts).
    pub line: usize,
    pub text: String,
    pub why: String,
    /// A row of the file, not a line of the box.
    pub in_file: bool,
}

/// A checked list: the tenants to provision (in order, each once), the
/// invalid ids, how many repeats were merged and how many rows of the file
/// gave no id; how many ids were typed and how many rows the file had.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckedList {
    pub tenants: Vec<TenantId>,
    pub invalid: Vec<Invalid>,
    pub duplicates: usize,
    /// Rows of the file whose id is empty.
    pub empty: usize,
    /// Ids typed in the box.
    pub typed: usize,
    /// The file's name and its rows (its header not counted).
    pub file: Option<(String, usize)>,
}

/// Invalid ids listed one by one; past this, how many more.
pub const INVALID_LISTED: usize = 100;
/// An invalid id is shown up to this many characters.
const SHOWN_CHARS: usize = 80;

impl CheckedList {
    /// "8 to provision · 2 invalid · 1 duplicate" for typed ids; with a file
    /// every row is counted: "12 rows of tenants.csv: 8 to provision · 2
    /// invalid · 1 duplicate · 1 empty" ("3 typed ids and 12 rows of …").
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
        if self.empty > 0 {
            parts.push(format!("{} empty", self.empty));
        }
        let counts = parts.join(" · ");
        let Some((name, rows)) = &self.file else {
            return counts;
        };
        let rows = match rows {
            1 => format!("1 row of {name}"),
            n => format!("{n} rows of {name}"),
        };
        match self.typed {
            0 => format!("{rows}: {counts}"),
            1 => format!("1 typed id and {rows}: {counts}"),
            n => format!("{n} typed ids and {rows}: {counts}"),
        }
    }

    /// Each invalid id, where it was and why: "Line 4: Bad_Id — …" in the
    /// box, "tenants.csv, line 6: Bad_Id — …" in the file; the first
    /// `INVALID_LISTED`, then how many more.
    pub fn invalid_lines(&self) -> Vec<String> {
        let file = self.file.as_ref().map_or("", |(name, _)| name.as_str());
        let mut lines: Vec<String> = self
            .invalid
            .iter()
            .take(INVALID_LISTED)
            .map(|bad| {
                let at = if bad.in_file {
                    format!("{file}, line {}", bad.line)
                } else {
                    format!("Line {}", bad.line)
                };
                format!("{at}: {} — {}", shown(&bad.text), bad.why)
            })
            .collect();
        match self.invalid.len().saturating_sub(INVALID_LISTED) {
            0 => {}
            1 => lines.push("1 more invalid id".to_owned()),
            n => lines.push(format!("{n} more invalid ids")),
        }
        lines
    }
}

/// An invalid id as shown: line breaks and tabs as one space, at most
/// `SHOWN_CHARS` characters.
fn shown(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(SHOWN_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(SHOWN_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// One row of a CSV file: the physical line it starts on (1 for the
/// first) and the id it gives (trimmed; empty when its column is empty or
/// missing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    pub line: usize,
    pub id: String,
}

/// A CSV file read: its name and its rows (its header left out).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CsvIds {
    pub name: String,
    pub rows: Vec<CsvRow>,
}

/// Ids typed or pasted: one per line, or separated by commas or spaces.
pub fn check_text(text: &str) -> CheckedList {
    check(text, None)
}

/// The ids typed in the box and the rows of the file chosen, if any,
/// checked together (a tenant in both is a duplicate).
pub fn check(typed: &str, file: Option<&CsvIds>) -> CheckedList {
    let mut list = CheckedList::default();
    let mut seen = HashSet::new();
    let words = typed.lines().enumerate().flat_map(|(at, line)| {
        line.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|word| !word.is_empty())
            .map(move |word| (at + 1, word))
    });
    for (line, text) in words {
        list.typed += 1;
        list.add(&mut seen, line, text, false);
    }
    if let Some(file) = file {
        list.file = Some((file.name.clone(), file.rows.len()));
        for row in &file.rows {
            if row.id.is_empty() {
                list.empty += 1;
            } else {
                list.add(&mut seen, row.line, &row.id, true);
            }
        }
    }
    list
}

impl CheckedList {
    fn add(&mut self, seen: &mut HashSet<TenantId>, line: usize, text: &str, in_file: bool) {
        match TenantId::parse(text) {
            Ok(tenant) if seen.contains(&tenant) => self.duplicates += 1,
            Ok(tenant) => {
                seen.insert(tenant.clone());
                self.tenants.push(tenant);
            }
            Err(why) => self.invalid.push(Invalid {
                line,
                text: text.to_owned(),
                why: why.to_string(),
                in_file,
            }),
        }
    }
}

/// A CSV file (RFC 4180, read by `csv-core`: quoted fields may hold
/// commas, `""` and line breaks; lines end with CRLF, LF or CR; blank lines
/// are no rows): the `tenantId` column where the first row names one (any
/// case, `tenant_id` and `tenant id` too; that row is the header), else the
/// first column of every row.
pub fn read_csv(name: &str, text: &str) -> CsvIds {
    let records = csv_records(text.strip_prefix('\u{feff}').unwrap_or(text));
    let named = |field: &String| {
        let name: String = field
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        name == "tenantid"
    };
    let (column, skip) = match records
        .first()
        .and_then(|(_, header)| header.iter().position(named))
    {
        Some(column) => (column, 1),
        None => (0, 0),
    };
    let rows = records
        .into_iter()
        .skip(skip)
        .map(|(line, fields)| CsvRow {
            line,
            id: fields
                .get(column)
                .map_or_else(String::new, |f| f.trim().to_owned()),
        })
        .collect();
    CsvIds {
        name: name.to_owned(),
        rows,
    }
}

/// The records of a CSV text, each with the physical line it starts on.
pub fn csv_records(text: &str) -> Vec<(usize, Vec<String>)> {
    let bytes = text.as_bytes();
    let mut reader = Reader::new();
    let mut records = Vec::new();
    let (mut out, mut ends) = (vec![0u8; 256], vec![0usize; 16]);
    let (mut out_len, mut ends_len) = (0, 0);
    // Bytes read; lines counted up to `counted`.
    let (mut at, mut counted, mut line) = (0, 0, 1);
    let mut start = None;
    loop {
        if start.is_none() {
            // A record starts past any line ends (blank lines are no rows).
            let first = bytes[at..]
                .iter()
                .position(|&b| b != b'\r' && b != b'\n')
                .map_or(bytes.len(), |skip| at + skip);
            line += line_breaks(bytes, counted, first);
            counted = first;
            start = Some(line);
        }
        let (result, read, wrote, ended) =
            reader.read_record(&bytes[at..], &mut out[out_len..], &mut ends[ends_len..]);
        at += read;
        out_len += wrote;
        ends_len += ended;
        match result {
            // All of the text was given at once: the next call, with no
            // input, says it ended.
            ReadRecordResult::InputEmpty => {}
            ReadRecordResult::OutputFull => out.resize(out.len() * 2, 0),
            ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            ReadRecordResult::Record => {
                let mut fields = Vec::with_capacity(ends_len);
                let mut from = 0;
                for &end in &ends[..ends_len] {
                    fields.push(String::from_utf8_lossy(&out[from..end]).into_owned());
                    from = end;
                }
                records.push((start.take().unwrap_or(line), fields));
                (out_len, ends_len) = (0, 0);
            }
            ReadRecordResult::End => break,
        }
    }
    records
}

/// Line breaks in `bytes[from..to]`: LF, CRLF (once) and a lone CR.
fn line_breaks(bytes: &[u8], from: usize, to: usize) -> usize {
    (from..to)
        .filter(|&i| match bytes[i] {
            b'\n' => true,
            b'\r' => bytes.get(i + 1) != Some(&b'\n'),
            _ => false,
        })
        .count()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
