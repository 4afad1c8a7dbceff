use super::*;
use proptest::prelude::*;

fn ids(list: &CheckedList) -> Vec<&str> {
    list.tenants.iter().map(TenantId::as_str).collect()
}

fn file(text: &str) -> CsvIds {
    read_csv("tenants.csv", text)
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
                why: "A tenant id uses only lowercase letters a–z, digits and “-”.".into(),
                in_file: false,
            },
            Invalid {
                line: 6,
                text: "-edge".into(),
                why: "A tenant id cannot start or end with “-”.".into(),
                in_file: false,
            },
        ]
    );
    assert_eq!(list.typed, 7);
    assert_eq!(list.summary(), "4 to provision · 2 invalid · 1 duplicate");
    assert_eq!(
        list.invalid_lines()[0],
        "Line 4: Bad_Id — A tenant id uses only lowercase letters a–z, digits and “-”."
    );
    assert_eq!(check_text("").summary(), "0 to provision");
}

#[test]
fn a_csv_file_gives_its_tenant_id_column_or_its_first() {
    let named =
        file("name,tenantId,region\r\n\"Acme, Inc.\",acme-shoes,eu\n\"Beta \"\"B\"\"\",beta,us\n");
    assert_eq!(ids(&check("", Some(&named))), ["acme-shoes", "beta"]);
    let first = file("acme\nbeta,ignored\n\n\"gamma\"\n");
    assert_eq!(ids(&check("", Some(&first))), ["acme", "beta", "gamma"]);
    assert_eq!(
        first.rows[2].line, 4,
        "a blank line is no row but is a line"
    );
    let snake = file("Tenant_ID\nBad Id\n");
    assert_eq!(check("", Some(&snake)).invalid[0].line, 2);
    // Excel's byte order mark does not hide the header.
    let marked = file("\u{feff}tenant id,name\r\nacme,A\r\n");
    assert_eq!(
        marked.rows,
        [CsvRow {
            line: 2,
            id: "acme".into()
        }]
    );
}

/// The file: a quoted field with a line break no longer splits its
/// row, so the id after it is counted, and the rows after it keep their
/// lines.
#[test]
fn a_quoted_line_break_stays_in_its_field_and_its_row_is_counted() {
    let text = "note,tenantId\r\n\"multi\r\nline\",acme-shoes\r\nplain,Bad_Id\r\n";
    let rows = file(text);
    assert_eq!(
        rows.rows,
        [
            CsvRow {
                line: 2,
                id: "acme-shoes".into()
            },
            CsvRow {
                line: 4,
                id: "Bad_Id".into()
            },
        ]
    );
    let list = check("", Some(&rows));
    assert_eq!(ids(&list), ["acme-shoes"]);
    assert_eq!(
        list.invalid_lines(),
        ["tenants.csv, line 4: Bad_Id — A tenant id uses only lowercase letters a–z, digits and “-”."]
    );
    // An id holding the line break is one invalid id, on the line it starts.
    let inside = check("", Some(&file("\"multi\nline\"\nbeta\n")));
    assert_eq!(ids(&inside), ["beta"]);
    assert_eq!(
        (inside.invalid[0].line, &*inside.invalid[0].text),
        (1, "multi\nline")
    );
    assert_eq!(
        inside.invalid_lines()[0].split(" — ").next(),
        Some("tenants.csv, line 1: multi line")
    );
}

#[test]
fn every_row_is_accounted_for_and_the_box_is_checked_with_the_file() {
    let text = "tenantId,name\n\
                a1,x\nb2,x\nc3,x\nd4,x\ne5,x\nf6,x\ng7,x\nh8,x\n\
                Bad_One,x\n-edge,x\na1,dup\n,no id\n";
    let list = check("", Some(&file(text)));
    assert_eq!(
        list.summary(),
        "12 rows of tenants.csv: 8 to provision · 2 invalid · 1 duplicate · 1 empty"
    );
    assert_eq!(
        list.invalid
            .iter()
            .map(|i| (i.line, i.in_file))
            .collect::<Vec<_>>(),
        [(10, true), (11, true)]
    );
    // Typed ids and the file together: a tenant in both is a duplicate.
    let both = check("zz9 a1\nNope!", Some(&file(text)));
    assert_eq!(
        both.summary(),
        "3 typed ids and 12 rows of tenants.csv: 9 to provision · 3 invalid · 2 duplicates · 1 empty"
    );
    assert_eq!(both.invalid_lines()[0].split(':').next(), Some("Line 2"));
    assert_eq!(
        both.invalid_lines()[1].split(':').next(),
        Some("tenants.csv, line 10")
    );
    let one = check("a", Some(&file("b\n")));
    assert_eq!(
        one.summary(),
        "1 typed id and 1 row of tenants.csv: 2 to provision"
    );
}

#[test]
fn lines_end_with_crlf_lf_or_a_lone_cr_and_rows_may_be_short_or_blank() {
    let rows = file("id,tenantId\ra,b\r\rc\r\n\r\nd,\"\"\n  ,  \ne,f");
    assert_eq!(
        rows.rows,
        [
            CsvRow {
                line: 2,
                id: "b".into()
            },
            CsvRow {
                line: 4,
                id: String::new()
            },
            CsvRow {
                line: 6,
                id: String::new()
            },
            CsvRow {
                line: 7,
                id: String::new()
            },
            CsvRow {
                line: 8,
                id: "f".into()
            },
        ]
    );
    assert_eq!(file("").rows, []);
    assert_eq!(file("\r\n\n").rows, []);
}

#[test]
fn a_long_list_of_invalid_ids_names_the_first_hundred_and_counts_the_rest() {
    let text: String = (0..250).map(|i| format!("Bad_{i}\n")).collect();
    let list = check(&text, None);
    let lines = list.invalid_lines();
    assert_eq!(lines.len(), INVALID_LISTED + 1);
    assert_eq!(lines[INVALID_LISTED], "150 more invalid ids");
    let long = "X".repeat(500);
    let shown = &check(&long, None).invalid_lines()[0];
    assert!(
        shown.starts_with(&format!("Line 1: {}… — ", "X".repeat(80))),
        "{shown}"
    );
}

/// A big paste is checked in linear time (duplicates found by hashing).
#[test]
fn a_hundred_thousand_ids_are_checked_at_once() {
    let text: String = (0..100_000).map(|i| format!("tenant-{i}\n")).collect();
    let started = std::time::Instant::now();
    let list = check(&text, Some(&file(&text)));
    assert_eq!((list.tenants.len(), list.duplicates), (100_000, 100_000));
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}

/// The `csv` crate's reader, the reference: each record's fields.
fn reference(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("valid UTF-8").iter().map(str::to_owned).collect())
        .collect()
}

/// Fields with what CSV must quote: commas, quotes, line breaks, spaces.
fn field() -> impl Strategy<Value = String> {
    "([a-z0-9é-]|,|\"|\r\n|\n|\r| ){0,8}"
}

proptest! {
    /// Any text at all (broken quoting included): the same records as the
    /// reference reader, each on a later line than the one before.
    #[test]
    fn any_text_gives_the_reference_readers_records(
        text in "([a-z,\"é ]|\r\n|\n|\r){0,60}|\\PC{0,40}",
    ) {
        let ours = csv_records(&text);
        let fields: Vec<Vec<String>> = ours.iter().map(|(_, f)| f.clone()).collect();
        prop_assert_eq!(fields, reference(&text));
        let lines: Vec<usize> = ours.iter().map(|(line, _)| *line).collect();
        prop_assert!(lines.windows(2).all(|w| w[0] < w[1]), "lines {:?}", lines);
        let breaks = text.matches('\n').count() + text.matches('\r').count();
        prop_assert!(lines.iter().all(|&l| l >= 1 && l <= breaks + 1), "lines {:?}", lines);
    }

    /// A table written by the reference writer (fields quoted as needed,
    /// CRLF or LF), blank lines between some rows: read back field for
    /// field, each row on the physical line it starts on.
    #[test]
    fn a_written_table_reads_back_each_row_on_its_line(
        rows in prop::collection::vec(prop::collection::vec(field(), 1..4), 0..12),
        blank in prop::collection::vec(any::<bool>(), 12),
        crlf in any::<bool>(),
    ) {
        let (mut text, mut expected) = (String::new(), Vec::new());
        for (at, row) in rows.iter().enumerate() {
            if blank[at] {
                text.push_str(if crlf { "\r\n" } else { "\n" });
            }
            // Physical lines: CRLF, LF and a lone CR each end one.
            let line = 1 + text.replace("\r\n", "\n").replace('\r', "\n").matches('\n').count();
            let mut writer = csv::WriterBuilder::new()
                .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .from_writer(Vec::new());
            writer.write_record(row).unwrap();
            let written = String::from_utf8(writer.into_inner().unwrap()).unwrap();
            text.push_str(&written);
            expected.push((line, row.clone()));
        }
        prop_assert_eq!(csv_records(&text), expected);
    }

    /// Ids typed and a file, anything at all: every typed id and every row
    /// of the file is to provision, invalid, a duplicate or empty; each
    /// tenant once; checking again gives the same list.
    #[test]
    fn every_typed_id_and_row_is_accounted_for(
        typed in "([a-z-]{0,4}|Bad|,| |\n){0,12}",
        text in "tenantId\n|([a-z-]{0,4}|Bad|\"|,| |\n|\r\n){0,30}|\\PC{0,30}",
    ) {
        let rows = file(&text);
        let list = check(&typed, Some(&rows));
        prop_assert_eq!(
            list.typed + rows.rows.len(),
            list.tenants.len() + list.invalid.len() + list.duplicates + list.empty
        );
        prop_assert_eq!(list.file.as_ref().map(|f| f.1), Some(rows.rows.len()));
        let unique: HashSet<&TenantId> = list.tenants.iter().collect();
        prop_assert_eq!(unique.len(), list.tenants.len());
        prop_assert_eq!(&check(&typed, Some(&rows)), &list);
        prop_assert!(list.invalid_lines().len() <= INVALID_LISTED + 1);
    }
}
