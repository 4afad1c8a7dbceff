//! Which rows the "Batch" table shows: every tenant or those of one part
//! (deployed, failed, running, waiting), a page of [`ROWS_PER_PAGE`] at a
//! time, so a batch of 1,000 tenants costs a render no more than one of 50.

use super::{Batch, Part};
use crate::log_pane::count_text::grouped;

/// Rows on one page of the table.
pub const ROWS_PER_PAGE: usize = 50;

/// What the reader chose to see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableView {
    /// Only the rows of this part; `None`: all.
    pub only: Option<Part>,
    /// The page, from 0 (past the last: the last).
    pub page: usize,
}

/// The rows on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TablePage {
    /// Their indices in the batch, in the batch's order.
    pub rows: Vec<usize>,
    /// Rows the view admits, on every page.
    pub matching: usize,
    /// This page, from 0, and how many there are (at least 1).
    pub page: usize,
    pub pages: usize,
}

impl TableView {
    /// The page of `batch` this view shows.
    pub fn page_of(&self, batch: &Batch) -> TablePage {
        let matching: Vec<usize> = batch
            .tenants
            .iter()
            .enumerate()
            .filter(|(_, row)| self.only.is_none_or(|part| row.stage.part() == part))
            .map(|(index, _)| index)
            .collect();
        let pages = matching.len().div_ceil(ROWS_PER_PAGE).max(1);
        let page = self.page.min(pages - 1);
        let start = page * ROWS_PER_PAGE;
        let end = (start + ROWS_PER_PAGE).min(matching.len());
        TablePage {
            rows: matching[start..end].to_vec(),
            matching: matching.len(),
            page,
            pages,
        }
    }

    /// The same rows, another page.
    pub fn at_page(self, page: usize) -> TableView {
        TableView { page, ..self }
    }

    /// Another part (or all), from its first page.
    pub fn showing(only: Option<Part>) -> TableView {
        TableView { only, page: 0 }
    }
}

impl TablePage {
    /// "Rows 51–100 of 1,000"; "No failed tenants" when none match.
    pub fn range_text(&self, only: Option<Part>) -> String {
        if self.matching == 0 {
            return match only {
                Some(part) => format!("No {} tenants", part.word()),
                None => "No tenants".to_owned(),
            };
        }
        let first = self.page * ROWS_PER_PAGE + 1;
        let last = first + self.rows.len() - 1;
        format!(
            "Rows {}–{} of {}",
            grouped(first),
            grouped(last),
            grouped(self.matching)
        )
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::TenantId;
    use crate::store::batch::Stage;

    fn batch(n: usize) -> Batch {
        let tenants = (0..n)
            .map(|i| TenantId::parse(&format!("t-{i}")).unwrap())
            .collect();
        let mut count = 0;
        Batch::new(tenants, 4, || {
            count += 1;
            format!("k{count}")
        })
    }

    #[test]
    fn a_thousand_rows_are_shown_fifty_at_a_time() {
        let batch = batch(1_000);
        let view = TableView::default();
        let first = view.page_of(&batch);
        assert_eq!(first.rows, (0..50).collect::<Vec<_>>());
        assert_eq!((first.page, first.pages, first.matching), (0, 20, 1_000));
        assert_eq!(first.range_text(None), "Rows 1–50 of 1,000");
        let last = view.at_page(19).page_of(&batch);
        assert_eq!(last.rows, (950..1_000).collect::<Vec<_>>());
        assert_eq!(last.range_text(None), "Rows 951–1,000 of 1,000");
        // A page past the end (the rows it showed have gone): the last.
        assert_eq!(view.at_page(25).page_of(&batch), last);
    }

    #[test]
    fn one_part_is_shown_in_the_batch_order() {
        let mut batch = batch(120);
        for (i, row) in batch.tenants.iter_mut().enumerate() {
            row.stage = match i % 3 {
                0 => Stage::Failed,
                1 => Stage::Refused,
                _ => Stage::Deployed,
            };
        }
        let failed = TableView::showing(Some(Part::Failed));
        let page = failed.page_of(&batch);
        assert_eq!(page.matching, 80, "refused tenants count as failed");
        assert_eq!(page.rows[..4], [0, 1, 3, 4]);
        let second = failed.at_page(1).page_of(&batch);
        assert_eq!(second.range_text(Some(Part::Failed)), "Rows 51–80 of 80");
        let none = TableView::showing(Some(Part::Running)).page_of(&batch);
        assert_eq!((none.rows.len(), none.pages), (0, 1));
        assert_eq!(none.range_text(Some(Part::Running)), "No running tenants");
        assert_eq!(batch.tally().of(Part::Failed), 80);
    }

    #[test]
    fn an_empty_batch_has_one_empty_page() {
        let page = TableView::default().page_of(&batch(0));
        assert_eq!((page.rows.len(), page.page, page.pages), (0, 0, 1));
        assert_eq!(page.range_text(None), "No tenants");
    }
}
