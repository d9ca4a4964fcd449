//! Every word `sitecheck stats` prints, in English and Simplified Chinese (the screens keep
//! theirs in `tui::review::strings`). Counts are put into sentences here, so a language
//! that has no plural gets none.

use crate::lang::Lang;

pub struct StatsStrings {
    pub colon: &'static str,
    pub targets: &'static str,
    pub by_technician: &'static str,
    pub by_week: &'static str,
    pub section: &'static str,
    pub item: &'static str,
    pub prompt: &'static str,
    pub compliance: &'static str,
    pub pass: &'static str,
    pub fail: &'static str,
    pub na: &'static str,
    pub visits: &'static str,
    pub mean_score: &'static str,
    pub failed: &'static str,
    pub rushed: &'static str,
    pub rank: &'static str,
    pub technician: &'static str,
    pub checklist: &'static str,
    pub week: &'static str,
    pub month: &'static str,
    pub store: &'static str,
    pub field: &'static str,
    pub rate: &'static str,
    pub met: &'static str,
    pub period: &'static str,
    pub this_period: &'static str,
    pub previous_period: &'static str,
    pub change: &'static str,
    pub all_visits: &'static str,
    pub since: &'static str,
    pub until: &'static str,
    pub status_open: &'static str,
    pub status_finished: &'static str,
    pub status_abandoned: &'static str,
    pub status_unreadable: &'static str,
    pub verdict: &'static str,
    pub unreviewed: &'static str,
    pub to_review: &'static str,
    pub list_separator: &'static str,
    lang: Lang,
}

pub fn stats_strings(lang: Lang) -> &'static StatsStrings {
    match lang {
        Lang::En => &EN,
        Lang::ZhCn => &ZH_CN,
    }
}

static EN: StatsStrings = StatsStrings {
    colon: ": ",
    targets: "Targets",
    by_technician: "By technician",
    by_week: "By week",
    section: "section",
    item: "item",
    prompt: "prompt",
    compliance: "compliance",
    pass: "pass",
    fail: "fail",
    na: "n/a",
    visits: "visits",
    mean_score: "mean score",
    failed: "failed",
    rushed: "rushed",
    rank: "#",
    technician: "technician",
    checklist: "checklist",
    week: "week",
    month: "month",
    store: "store",
    field: "field",
    rate: "rate",
    met: "met",
    period: "period",
    this_period: "this period",
    previous_period: "previous period",
    change: "change",
    all_visits: "all visits",
    since: "since",
    until: "until",
    status_open: "open visits",
    status_finished: "finished visits",
    status_abandoned: "abandoned visits",
    status_unreadable: "unreadable visits",
    verdict: "verdict",
    unreviewed: "unreviewed",
    to_review: "to review",
    list_separator: ", ",
    lang: Lang::En,
};

static ZH_CN: StatsStrings = StatsStrings {
    colon: "：",
    targets: "目标",
    by_technician: "按技师",
    by_week: "按周",
    section: "部分",
    item: "项目",
    prompt: "内容",
    compliance: "合规率",
    pass: "合格",
    fail: "不合格",
    na: "不适用",
    visits: "走访",
    mean_score: "平均得分",
    failed: "不合格走访",
    rushed: "过快",
    rank: "名次",
    technician: "技师",
    checklist: "检查表",
    week: "周",
    month: "月",
    store: "数据库",
    field: "字段",
    rate: "达成率",
    met: "达成",
    period: "期间",
    this_period: "本期",
    previous_period: "上期",
    change: "变化",
    all_visits: "全部走访",
    since: "起始",
    until: "截至",
    status_open: "进行中的走访",
    status_finished: "已完成的走访",
    status_abandoned: "已放弃的走访",
    status_unreadable: "无法读取的走访",
    verdict: "审核结论",
    unreviewed: "未审核",
    to_review: "待审核",
    list_separator: "，",
    lang: Lang::ZhCn,
};

impl StatsStrings {
    fn plural(&self, n: u32) -> &'static str {
        if self.lang == Lang::En && n != 1 {
            "s"
        } else {
            ""
        }
    }

    /// The heading: `Compliance over 4 visits (finished visits, since 2026-11-01)`.
    pub fn heading(&self, visits: u32, scope: &str) -> String {
        match self.lang {
            Lang::En => format!("Compliance over {visits} visits ({scope})"),
            Lang::ZhCn => format!("合规统计：共 {visits} 次走访（{scope}）"),
        }
    }

    /// What the figures count, then the filter's words.
    pub fn scope(&self, filter: &str) -> String {
        match (self.lang, filter.is_empty()) {
            (Lang::En, true) => "finished visits".into(),
            (Lang::En, false) => format!("finished visits, {filter}"),
            (Lang::ZhCn, true) => "已完成的走访".into(),
            (Lang::ZhCn, false) => format!("已完成的走访，{filter}"),
        }
    }

    /// Open, abandoned and damaged visits, beside the figures.
    pub fn beside(&self, open: u32, abandoned: u32, damaged: u32) -> String {
        match self.lang {
            Lang::En => format!(
                "Beside them (not counted): {open} open, {abandoned} abandoned, {damaged} damaged"
            ),
            Lang::ZhCn => format!(
                "另有（未计入）：进行中 {open} 次，已放弃 {abandoned} 次，已损坏 {damaged} 次"
            ),
        }
    }

    pub fn left_out(&self, n: u32) -> String {
        match self.lang {
            Lang::En => format!(
                "{n} unreadable or damaged visit log{} left out — `sitecheck verify` names the problems",
                self.plural(n)
            ),
            Lang::ZhCn => {
                format!("{n} 个无法读取或已损坏的走访记录未计入——`sitecheck verify` 会指出问题")
            }
        }
    }

    /// `Overall 83.3%  (10 pass, 2 fail, 0 n/a); 1 rushed visit`.
    pub fn overall(&self, rate: &str, pass: u32, fail: u32, na: u32, rushed: u32) -> String {
        match self.lang {
            Lang::En => format!(
                "Overall {rate}  ({pass} pass, {fail} fail, {na} n/a); {rushed} rushed visit{}",
                self.plural(rushed)
            ),
            Lang::ZhCn => format!(
                "总体 {rate}（合格 {pass}，不合格 {fail}，不适用 {na}）；过快走访 {rushed} 次"
            ),
        }
    }

    /// `satisfaction 79.2% (target 75%) ✓  (412 of 520 visits)`.
    pub fn target_line(
        &self,
        name: &str,
        rate: &str,
        target: &str,
        mark: &str,
        met: u32,
        measured: u32,
    ) -> String {
        match self.lang {
            Lang::En => {
                format!("{name} {rate} (target {target}) {mark}  ({met} of {measured} visits)")
            }
            Lang::ZhCn => format!(
                "{name} {rate}（目标 {target}）{mark}  （{measured} 次走访中 {met} 次达成）"
            ),
        }
    }

    /// `mini — Mini visit: 4 visits, compliance 83.3%`.
    pub fn checklist_line(&self, id: &str, title: &str, visits: u32, rate: &str) -> String {
        match self.lang {
            Lang::En => format!(
                "{id} — {title}: {visits} visit{}, compliance {rate}",
                self.plural(visits)
            ),
            Lang::ZhCn => format!("{id} — {title}：{visits} 次走访，合规率 {rate}"),
        }
    }

    /// `Ranking against mini · satisfaction (target 75%)`.
    pub fn ranking(&self, checklist: &str, target: &str, rate: &str) -> String {
        match self.lang {
            Lang::En => format!("Technicians against {checklist} · {target} (target {rate})"),
            Lang::ZhCn => format!("技师排名：{checklist} · {target}（目标 {rate}）"),
        }
    }

    /// `3 of 4 visits`: what a figure rests on.
    pub fn of_visits(&self, met: u32, measured: u32) -> String {
        match self.lang {
            Lang::En => format!("{met} of {measured} visits"),
            Lang::ZhCn => format!("{measured} 次中 {met} 次"),
        }
    }

    /// `This period (2026-11-01 – 2026-11-28) against the previous 28 days`.
    pub fn comparison(&self, from: &str, until: &str, days: i64) -> String {
        match self.lang {
            Lang::En => format!("This period ({from} – {until}) against the {days} days before"),
            Lang::ZhCn => format!("本期（{from} – {until}）与之前 {days} 天对比"),
        }
    }

    /// `By month`, `By field branch`.
    pub fn by(&self, dimension: &str) -> String {
        match self.lang {
            Lang::En => format!("By {dimension}"),
            Lang::ZhCn => format!("按{dimension}"),
        }
    }
}

/// The error for a filter naming a `checklist` or `technician` (`what`) that no visit of
/// the store has, with the `known` ones (nearest first), in the language's words.
pub fn unknown_name(what: &str, name: &str, known: &[String], lang: Lang) -> String {
    const SHOWN: usize = 12;
    let shown: Vec<&str> = known.iter().take(SHOWN).map(String::as_str).collect();
    let more = known.len() > SHOWN;
    match lang {
        Lang::En => format!(
            "no visit of the store has {what} \"{name}\"; known {what}s: {}{}",
            shown.join(", "),
            if more {
                format!(", … ({} in all)", known.len())
            } else {
                String::new()
            }
        ),
        Lang::ZhCn => {
            let what = if what == "checklist" {
                "检查表"
            } else {
                "技师"
            };
            format!(
                "数据中没有{what}“{name}”的走访；已知的{what}：{}{}",
                shown.join("，"),
                if more {
                    format!("……（共 {} 个）", known.len())
                } else {
                    String::new()
                }
            )
        }
    }
}
