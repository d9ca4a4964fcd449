//! The battery level, where Linux reports one (`/sys/class/power_supply/BAT*/capacity`).

use std::path::Path;

/// Below this the header warns.
pub const LOW_PERCENT: u8 = 15;

/// The lowest level among the batteries found, in percent; `None` on mains-only machines.
pub fn level() -> Option<u8> {
    level_in(Path::new(
        &std::env::var("SITECHECK_POWER_SUPPLY")
            .unwrap_or_else(|_| "/sys/class/power_supply".into()),
    ))
}

pub fn level_in(dir: &Path) -> Option<u8> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| {
            std::fs::read_to_string(e.path().join("type"))
                .map(|t| t.trim() == "Battery")
                .unwrap_or(false)
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("capacity")).ok())
        .filter_map(|c| c.trim().parse::<u8>().ok())
        .map(|c| c.min(100))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_lowest_battery() {
        let dir = tempfile::tempdir().unwrap();
        for (name, kind, capacity) in [
            ("BAT0", "Battery", "42\n"),
            ("BAT1", "Battery", "97"),
            ("AC", "Mains", ""),
        ] {
            let d = dir.path().join(name);
            std::fs::create_dir(&d).unwrap();
            std::fs::write(d.join("type"), kind).unwrap();
            std::fs::write(d.join("capacity"), capacity).unwrap();
        }
        assert_eq!(level_in(dir.path()), Some(42));
        assert_eq!(level_in(&dir.path().join("missing")), None);
    }
}
