//! `sitecheck export --format csv|jsonl|html [--out FILE] [--rows answers|visits]
//! [filters]`: the chosen visits for spreadsheets, other programs or print.

use std::io::Write;
use std::path::Path;

use crate::export::{ExportFormat, RowKind, csv, html, json, logs};
use crate::lang::Lang;
use crate::present::stats_strings::stats_strings;
use crate::review::filter::Filter;
use crate::review::period::compare;
use crate::store::index::open::Store;
use crate::store::index::summary::VisitSummary;
use crate::store::seam::VisitStore;

use super::stats::describe;

/// One export: the visits of an opened store chosen by a filter, in a format.
pub struct Export<'a> {
    /// Where the visits' logs are read from (the answers of each visit).
    pub source: &'a dyn VisitStore,
    pub store: &'a Store,
    pub filter: &'a Filter,
    pub format: ExportFormat,
    pub rows: RowKind,
    /// Start a CSV with a UTF-8 byte order mark (Excel then reads it as UTF-8).
    pub bom: bool,
    pub lang: &'a str,
}

impl Export<'_> {
    /// Writes the export to `out`.
    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let visits: Vec<&VisitSummary> = self.filter.apply(&self.store.visits).collect();
        let (source, checklists, lang) = (self.source, &self.store.checklists, self.lang);
        if self.bom && self.format == ExportFormat::Csv {
            out.write_all(csv::BOM.as_bytes())?;
        }
        match (self.format, self.rows) {
            (ExportFormat::Csv, RowKind::Answers) => {
                csv::write_answers(source, &visits, checklists, out)?
            }
            (ExportFormat::Csv, RowKind::Visits) => csv::write_visits(&visits, out)?,
            (ExportFormat::Jsonl, _) => {
                logs::render_in_order(source, &visits, checklists, out, |visit, replayed| {
                    let mut line = json::visit_with_answers(visit, replayed, lang).to_string();
                    line.push('\n');
                    line.into_bytes()
                })?
            }
            (ExportFormat::Html, _) => {
                out.write_all(self.html_report(&visits).as_bytes())?;
            }
        }
        out.flush()
    }

    /// The HTML report over `visits`: the figures of `stats`, this period against the
    /// previous one (the same filter but for the dates, as `stats` compares), in `lang`.
    fn html_report(&self, visits: &[&VisitSummary]) -> String {
        let lang = Lang::from_tag(self.lang);
        let stats = crate::review::compute_stats(visits.iter().copied(), None);
        let undated = Filter {
            since: None,
            until: None,
            ..self.filter.clone()
        };
        let undated: Vec<&VisitSummary> = undated.apply(&self.store.visits).collect();
        let comparison = compare(
            undated.iter().copied(),
            self.filter.since,
            self.filter.until,
        );
        let s = stats_strings(lang);
        let scope = s.scope(&describe(self.filter, s));
        let (first, last) = html::period(visits);
        let generated = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
        let photos = |visit: &VisitSummary| {
            html::thumbs::visit_photos(self.source, &visit.reference(), lang)
        };
        html::report(&html::Report {
            visits,
            stats: &stats,
            comparison: comparison.as_ref(),
            scope: &scope,
            lang,
            generated: &generated,
            first,
            last,
            photos: Some(&photos),
        })
    }

    /// Writes the export to a file, replacing it only once it is whole.
    pub fn to_file(&self, path: &Path) -> Result<(), String> {
        let fail = |e: std::io::Error| format!("{}: error: cannot write: {e}", path.display());
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "export".into());
        let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let written = (|| {
            let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            self.write(&mut file)?;
            file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            std::fs::rename(&tmp, path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written.map_err(fail)
    }
}
