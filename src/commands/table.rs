//! Plain-text tables for the terminal: columns padded by display width (a Chinese
//! character takes two), cells cut at a column's maximum, and every cell passed through
//! `sanitize` so text from records never sends a control character to the terminal.

use std::io::Write;

use unicode_width::UnicodeWidthStr;

use crate::present::sanitize;
use crate::present::truncate;

/// A column: its heading, its widest allowed width, and whether numbers align right.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub heading: &'static str,
    pub max: usize,
    pub right: bool,
}

impl Column {
    pub const fn left(heading: &'static str, max: usize) -> Column {
        Column {
            heading,
            max,
            right: false,
        }
    }

    pub const fn right(heading: &'static str, max: usize) -> Column {
        Column {
            heading,
            max,
            right: true,
        }
    }
}

/// Rows gathered, then written with widths that fit them.
#[derive(Debug)]
pub struct Table {
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(columns: &[Column]) -> Table {
        Table {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; cells are sanitized here, so callers may pass record text as it is.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.iter().map(|cell| sanitize(cell)).collect());
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The widths the columns take: the widest cell, within the column's maximum.
    fn widths(&self) -> Vec<usize> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                let widest = self
                    .rows
                    .iter()
                    .filter_map(|row| row.get(i))
                    .map(|cell| cell.width())
                    .chain([column.heading.width()])
                    .max()
                    .unwrap_or(0);
                widest.min(column.max)
            })
            .collect()
    }

    pub fn write(&self, out: &mut dyn Write, indent: &str) -> std::io::Result<()> {
        let widths = self.widths();
        let headings: Vec<String> = self.columns.iter().map(|c| c.heading.to_owned()).collect();
        write_row(out, indent, &self.columns, &headings, &widths)?;
        for row in &self.rows {
            write_row(out, indent, &self.columns, row, &widths)?;
        }
        Ok(())
    }
}

/// Writes one row with each column at its maximum width, without gathering the rows
/// first (for lists of 100,000 visits). Cells are sanitized here.
pub fn write_fixed_row(
    out: &mut dyn Write,
    columns: &[Column],
    cells: &[String],
) -> std::io::Result<()> {
    let widths: Vec<usize> = columns.iter().map(|c| c.max).collect();
    let cells: Vec<String> = cells.iter().map(|c| sanitize(c)).collect();
    write_row(out, "", columns, &cells, &widths)
}

fn write_row(
    out: &mut dyn Write,
    indent: &str,
    columns: &[Column],
    cells: &[String],
    widths: &[usize],
) -> std::io::Result<()> {
    let mut line = String::from(indent);
    for (i, (column, width)) in columns.iter().zip(widths).enumerate() {
        let cell = truncate(cells.get(i).map_or("", String::as_str), *width);
        let pad = " ".repeat(width.saturating_sub(cell.width()));
        if column.right {
            line.push_str(&pad);
            line.push_str(&cell);
        } else {
            line.push_str(&cell);
            line.push_str(&pad);
        }
        if i + 1 < columns.len() {
            line.push_str("  ");
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// A rate as a percentage with one decimal, or `—` when there is none.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_wide_characters_and_hides_control_characters() {
        let mut table = Table::new(&[Column::left("name", 10), Column::right("n", 5)]);
        table.row(vec!["张三".into(), "12".into()]);
        table.row(vec!["a\u{1b}[2Jb".into(), "3".into()]);
        let mut out = Vec::new();
        table.write(&mut out, "").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "name     n\n张三    12\na\u{fffd}[2Jb   3\n");
        assert!(!text.contains('\u{1b}'));
    }
}
