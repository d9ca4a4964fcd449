//! The dimensions figures can be broken down by (`--by`, SPEC section 6): technician,
//! checklist, ISO week, month, store (each data folder) or a header field's value.

use crate::store::index::summary::VisitSummary;

use super::figures::iso_week;

/// What groups the visits of a breakdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum By {
    Technician,
    Checklist,
    Week,
    Month,
    /// Each `--data-dir`.
    Store,
    /// A header field's value, by the field's id.
    Field(String),
}

/// What a visit without the field (or a date) is grouped under: every counted visit is in
/// one group, so the groups add up to the whole.
pub use crate::store::figure_counts::NONE_KEY;

impl By {
    /// The fixed dimensions, in the order the stats tab cycles through them.
    pub const FIXED: [By; 5] = [
        By::Technician,
        By::Checklist,
        By::Week,
        By::Month,
        By::Store,
    ];

    /// `technician`, `checklist`, `week`, `month`, `store` or `field:ID`.
    pub fn parse(text: &str) -> Result<By, String> {
        match text {
            "technician" => Ok(By::Technician),
            "checklist" => Ok(By::Checklist),
            "week" => Ok(By::Week),
            "month" => Ok(By::Month),
            "store" => Ok(By::Store),
            other => match other.strip_prefix("field:") {
                Some(id) if !id.trim().is_empty() => Ok(By::Field(id.trim().to_owned())),
                _ => Err(format!(
                    "\"{other}\" is not a breakdown; use technician, checklist, week, month, store or field:ID"
                )),
            },
        }
    }

    /// The name `parse` reads.
    pub fn name(&self) -> String {
        match self {
            By::Technician => "technician".into(),
            By::Checklist => "checklist".into(),
            By::Week => "week".into(),
            By::Month => "month".into(),
            By::Store => "store".into(),
            By::Field(id) => format!("field:{id}"),
        }
    }

    /// The group a visit falls in.
    pub fn key(&self, visit: &VisitSummary) -> Option<String> {
        Some(match self {
            By::Technician => visit.technician.clone(),
            By::Checklist => visit.checklist.id.clone(),
            By::Week => iso_week(&visit.started_at).unwrap_or_else(|| NONE_KEY.into()),
            By::Month => visit
                .started_at
                .get(..7)
                .map_or_else(|| NONE_KEY.into(), str::to_owned),
            By::Store => visit.data_dir.display().to_string(),
            By::Field(id) => visit
                .field(id)
                .filter(|v| !v.trim().is_empty())
                .map_or_else(|| NONE_KEY.into(), str::to_owned),
        })
    }

    /// The next dimension for the stats tab's key: the fixed ones, then each header field
    /// the checklists of the visits have (`fields`), then none.
    pub fn next(now: Option<&By>, fields: &[String]) -> Option<By> {
        let all: Vec<By> = By::FIXED
            .iter()
            .cloned()
            .chain(fields.iter().map(|f| By::Field(f.clone())))
            .collect();
        match now {
            None => all.first().cloned(),
            Some(now) => {
                let at = all.iter().position(|b| b == now)?;
                all.get(at + 1).cloned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::index::summary::Fields;

    #[test]
    fn parses_every_dimension_and_refuses_others() {
        for name in [
            "technician",
            "checklist",
            "week",
            "month",
            "store",
            "field:branch",
        ] {
            assert_eq!(By::parse(name).map(|b| b.name()), Ok(name.to_owned()));
        }
        assert!(By::parse("colour").is_err());
        assert!(By::parse("field:").is_err());
    }

    #[test]
    fn keys_of_a_visit() {
        let visit = VisitSummary {
            technician: "li.si".into(),
            started_at: "2026-11-17T10:00:00.000+08:00".into(),
            fields: Fields::new([("branch", "north")]),
            ..VisitSummary::default()
        };
        assert_eq!(By::Week.key(&visit).as_deref(), Some("2026-W47"));
        assert_eq!(By::Month.key(&visit).as_deref(), Some("2026-11"));
        assert_eq!(
            By::Field("branch".into()).key(&visit).as_deref(),
            Some("north")
        );
        assert_eq!(
            By::Field("region".into()).key(&visit).as_deref(),
            Some(NONE_KEY)
        );
    }

    #[test]
    fn the_tab_cycles_through_fixed_then_fields_then_none() {
        let fields = vec!["branch".to_owned()];
        let mut by = None;
        let mut seen = Vec::new();
        loop {
            by = By::next(by.as_ref(), &fields);
            match &by {
                Some(b) => seen.push(b.name()),
                None => break,
            }
        }
        assert_eq!(
            seen,
            [
                "technician",
                "checklist",
                "week",
                "month",
                "store",
                "field:branch"
            ]
        );
    }
}
