//! Every word the HTML report and the visit sheet print, in English and Simplified Chinese.
//! Sentences with numbers are built here, so a language without plurals gets none.

use crate::lang::Lang;

pub struct Words {
    pub lang: Lang,
    pub title: &'static str,
    pub sheet_title: &'static str,
    pub generated: &'static str,
    pub summary: &'static str,
    pub detail: &'static str,
    // Cards.
    pub finished: &'static str,
    pub compliance: &'static str,
    pub open: &'static str,
    pub abandoned: &'static str,
    pub damaged: &'static str,
    pub rushed: &'static str,
    pub failed_visits: &'static str,
    pub to_review: &'static str,
    pub beside: &'static str,
    // Targets and rankings.
    pub targets: &'static str,
    pub checklist: &'static str,
    pub target: &'static str,
    pub achieved: &'static str,
    pub goal: &'static str,
    pub met: &'static str,
    pub missed: &'static str,
    pub no_data: &'static str,
    pub ranking: &'static str,
    pub technician: &'static str,
    pub rate: &'static str,
    pub no_targets: &'static str,
    pub per_week: &'static str,
    // Comparison.
    pub this_period: &'static str,
    pub previous_period: &'static str,
    pub change: &'static str,
    pub visits: &'static str,
    // Attention.
    pub attention: &'static str,
    pub attention_none: &'static str,
    pub started: &'static str,
    pub visit: &'static str,
    pub work_order: &'static str,
    pub score: &'static str,
    pub why: &'static str,
    pub verdict: &'static str,
    pub receipt: &'static str,
    pub why_damaged: &'static str,
    pub why_torn: &'static str,
    pub why_rejected: &'static str,
    pub why_follow_up: &'static str,
    pub why_changed: &'static str,
    pub why_rushed: &'static str,
    pub why_abandoned: &'static str,
    pub unreviewed: &'static str,
    pub approved: &'static str,
    pub follow_up: &'static str,
    pub rejected: &'static str,
    pub outdated: &'static str,
    // Detail.
    pub sections: &'static str,
    pub items: &'static str,
    pub section: &'static str,
    pub item: &'static str,
    pub pass: &'static str,
    pub fail: &'static str,
    pub na: &'static str,
    pub mean_score: &'static str,
    pub failed: &'static str,
    pub by_technician: &'static str,
    pub by_week: &'static str,
    pub by_checklist: &'static str,
    pub week: &'static str,
    // The visit sheet.
    pub header: &'static str,
    pub answers: &'static str,
    pub answer: &'static str,
    pub outcome: &'static str,
    pub note: &'static str,
    pub answered_at: &'static str,
    pub amendments: &'static str,
    pub amended_at: &'static str,
    pub amended_by: &'static str,
    pub reason: &'static str,
    pub reviews: &'static str,
    pub not_reviewed: &'static str,
    pub reviewer: &'static str,
    pub comment: &'static str,
    pub at: &'static str,
    pub status: &'static str,
    pub result: &'static str,
    pub integrity: &'static str,
    pub seal: &'static str,
    pub not_judged: &'static str,
    // Evidence.
    pub open_file: &'static str,
    pub evidence_missing: &'static str,
    pub evidence_altered: &'static str,
    pub evidence_unreadable: &'static str,
    pub evidence_heading: &'static str,
    pub host: &'static str,
    pub hidden: &'static str,
    pub whole_visit: &'static str,
    pub info: &'static str,
}

pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::ZhCn => &ZH_CN,
    }
}

static EN: Words = Words {
    lang: Lang::En,
    title: "Service quality report",
    sheet_title: "Visit sheet",
    generated: "generated",
    summary: "Summary",
    detail: "Detail",
    finished: "finished visits",
    compliance: "compliance",
    open: "open",
    abandoned: "abandoned",
    damaged: "damaged logs",
    rushed: "rushed",
    failed_visits: "failed visits",
    to_review: "to review",
    beside: "beside the figures, not counted in them",
    targets: "Targets",
    checklist: "Checklist",
    target: "Target",
    achieved: "Achieved",
    goal: "Goal",
    met: "met",
    missed: "missed",
    no_data: "no data",
    ranking: "Technicians against the targets",
    technician: "Technician",
    rate: "Rate",
    no_targets: "No checklist of these visits sets a target.",
    per_week: "per week",
    this_period: "This period",
    previous_period: "Previous period",
    change: "Change",
    visits: "Visits",
    attention: "Needs attention now",
    attention_none: "Nothing unresolved: every visit with a problem has been reviewed.",
    started: "Started",
    visit: "Visit",
    work_order: "Work order",
    score: "Score",
    why: "Why",
    verdict: "Verdict",
    receipt: "Receipt",
    why_damaged: "damaged log",
    why_torn: "torn log",
    why_rejected: "rejected",
    why_follow_up: "sent back for follow-up",
    why_changed: "changed since its review",
    why_rushed: "rushed",
    why_abandoned: "abandoned",
    unreviewed: "unreviewed",
    approved: "approved",
    follow_up: "follow-up",
    rejected: "rejected",
    outdated: "outdated",
    sections: "Sections",
    items: "Items",
    section: "Section",
    item: "Item",
    pass: "Pass",
    fail: "Fail",
    na: "N/A",
    mean_score: "Mean score",
    failed: "Failed",
    by_technician: "By technician",
    by_week: "By week",
    by_checklist: "By checklist",
    week: "Week",
    header: "Header",
    answers: "Answers",
    answer: "Answer",
    outcome: "Outcome",
    note: "Note",
    answered_at: "Answered",
    amendments: "Amendments",
    amended_at: "When",
    amended_by: "Who",
    reason: "Reason",
    reviews: "Review trail",
    not_reviewed: "Not reviewed yet.",
    reviewer: "Reviewer",
    comment: "Comment",
    at: "When",
    status: "Status",
    result: "Result",
    integrity: "Integrity",
    seal: "Seal",
    not_judged: "not judged",
    open_file: "open the file",
    evidence_missing: "missing from the store",
    evidence_altered: "altered: its bytes no longer match the log",
    evidence_unreadable: "cannot be read",
    evidence_heading: "Photos of the visits that need attention",
    host: "laptop",
    hidden: "not asked (hidden)",
    whole_visit: "the whole visit",
    info: "info",
};

static ZH_CN: Words = Words {
    lang: Lang::ZhCn,
    title: "服务质量报告",
    sheet_title: "走访记录单",
    generated: "生成于",
    summary: "概要",
    detail: "明细",
    finished: "已完成走访",
    compliance: "合规率",
    open: "进行中",
    abandoned: "已放弃",
    damaged: "已损坏记录",
    rushed: "过快",
    failed_visits: "不合格走访",
    to_review: "待审核",
    beside: "列于统计之外，未计入",
    targets: "目标",
    checklist: "检查表",
    target: "目标",
    achieved: "达成",
    goal: "要求",
    met: "已达成",
    missed: "未达成",
    no_data: "无数据",
    ranking: "技师目标排名",
    technician: "技师",
    rate: "达成率",
    no_targets: "这些走访的检查表没有设定目标。",
    per_week: "每周",
    this_period: "本期",
    previous_period: "上期",
    change: "变化",
    visits: "走访",
    attention: "当前需要处理",
    attention_none: "没有待处理的问题：有问题的走访都已审核。",
    started: "开始",
    visit: "走访",
    work_order: "工单",
    score: "得分",
    why: "原因",
    verdict: "审核结论",
    receipt: "回执码",
    why_damaged: "记录已损坏",
    why_torn: "记录末尾不完整",
    why_rejected: "已驳回",
    why_follow_up: "已退回整改",
    why_changed: "审核后有改动",
    why_rushed: "过快",
    why_abandoned: "已放弃",
    unreviewed: "未审核",
    approved: "通过",
    follow_up: "需整改",
    rejected: "驳回",
    outdated: "已过时",
    sections: "各部分",
    items: "各项目",
    section: "部分",
    item: "项目",
    pass: "合格",
    fail: "不合格",
    na: "不适用",
    mean_score: "平均得分",
    failed: "不合格",
    by_technician: "按技师",
    by_week: "按周",
    by_checklist: "按检查表",
    week: "周",
    header: "基本信息",
    answers: "检查结果",
    answer: "回答",
    outcome: "结果",
    note: "备注",
    answered_at: "回答时间",
    amendments: "修改记录",
    amended_at: "时间",
    amended_by: "修改人",
    reason: "原因",
    reviews: "审核记录",
    not_reviewed: "尚未审核。",
    reviewer: "审核人",
    comment: "意见",
    at: "时间",
    status: "状态",
    result: "结论",
    integrity: "完整性",
    seal: "封签",
    not_judged: "未判定",
    open_file: "打开文件",
    evidence_missing: "不在存储中",
    evidence_altered: "已被改动：内容与记录不再一致",
    evidence_unreadable: "无法读取",
    evidence_heading: "需要关注的上门记录的照片",
    host: "电脑",
    hidden: "未询问（已隐藏）",
    whole_visit: "整次走访",
    info: "信息",
};

impl Words {
    /// `Visits from 2026-06-01 to 2026-11-28`.
    pub fn span(&self, first: &str, last: &str) -> String {
        match self.lang {
            Lang::En => format!("Visits from {first} to {last}"),
            Lang::ZhCn => format!("走访日期 {first} 至 {last}"),
        }
    }

    /// `412 of 520 visits`: what a figure rests on.
    pub fn of_visits(&self, met: u32, measured: u32) -> String {
        match self.lang {
            Lang::En => format!("{met} of {measured} visits"),
            Lang::ZhCn => format!("{measured} 次中 {met} 次"),
        }
    }

    /// `9 of 12 technicians meet it`.
    pub fn meeting(&self, meeting: usize, all: usize) -> String {
        match self.lang {
            Lang::En => format!("{meeting} of {all} technicians meet it"),
            Lang::ZhCn => format!("{all} 名技师中 {meeting} 名达成"),
        }
    }

    /// The rows left out between the best and the worst of a ranking.
    pub fn more_between(&self, n: usize) -> String {
        match self.lang {
            Lang::En => format!("… {n} more in the detail"),
            Lang::ZhCn => format!("……另有 {n} 名，见明细"),
        }
    }

    /// Under the summary's targets when it cannot hold them all.
    pub fn targets_more(&self, n: usize) -> String {
        match self.lang {
            Lang::En => format!("… {n} more targets in the detail"),
            Lang::ZhCn => format!("……另有 {n} 个目标，见明细"),
        }
    }

    /// `This period (2026-11-01 – 2026-11-28) against the 28 days before`.
    pub fn comparison(&self, from: &str, until: &str, days: i64) -> String {
        match self.lang {
            Lang::En => format!("This period ({from} – {until}) against the {days} days before"),
            Lang::ZhCn => format!("本期（{from} – {until}）与之前 {days} 天对比"),
        }
    }

    /// The attention heading with its count and order.
    pub fn attention_heading(&self, n: usize) -> String {
        match self.lang {
            Lang::En => format!(
                "{} ({n} unresolved, worst and newest first)",
                self.attention
            ),
            Lang::ZhCn => format!("{}（未解决 {n} 次，最严重、最新的在前）", self.attention),
        }
    }

    /// Under the summary's short attention table.
    pub fn attention_more(&self, n: usize) -> String {
        match self.lang {
            Lang::En => format!("… and {n} more in the detail"),
            Lang::ZhCn => format!("……另有 {n} 次，见明细"),
        }
    }

    /// `failed (3 items)`.
    pub fn why_failed(&self, items: u32) -> String {
        match self.lang {
            Lang::En => format!("failed ({items} item{})", if items == 1 { "" } else { "s" }),
            Lang::ZhCn => format!("不合格（{items} 项）"),
        }
    }

    /// `3 items missing`.
    pub fn why_missing(&self, items: u32) -> String {
        match self.lang {
            Lang::En => format!("{items} required missing"),
            Lang::ZhCn => format!("缺少 {items} 项必填"),
        }
    }

    /// A target's name with its goal: `satisfaction ≥ 75%`.
    pub fn target_goal(&self, name: &str, goal: &str) -> String {
        match self.lang {
            Lang::En => format!("{name} (target {goal})"),
            Lang::ZhCn => format!("{name}（目标 {goal}）"),
        }
    }

    /// After a label.
    pub fn colon(&self) -> &'static str {
        match self.lang {
            Lang::En => ": ",
            Lang::ZhCn => "：",
        }
    }

    pub fn list_separator(&self) -> &'static str {
        match self.lang {
            Lang::En => ", ",
            Lang::ZhCn => "，",
        }
    }
}
