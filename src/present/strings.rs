//! Every word the commands print (`list`, `show`, `verify`, and the command line's own
//! messages), in English and Simplified Chinese. Text from records is never here: it is
//! printed as recorded, through `sanitize`. The `error:` and `warning:` marks stay as they
//! are in both languages, so that scripts and editors find them.

use crate::lang::Lang;
use crate::log::EventError;
use crate::log::integrity::LineProblem;
use crate::log::problem::{ProblemKind, TornTail, TornWhy};
use crate::log::seal::SealWhy;

/// One language's words. Labels that start a line of `show` are padded by display width
/// where they are used, so Chinese ones line up too.
pub struct Strings {
    pub lang: Lang,
    /// After a label: `: ` in English, a full-width `：` in Chinese.
    pub colon: &'static str,
    // `list` column headings.
    pub col_visit: &'static str,
    pub col_started: &'static str,
    pub col_technician: &'static str,
    pub col_checklist: &'static str,
    pub col_name: &'static str,
    pub col_duration: &'static str,
    pub col_score: &'static str,
    pub col_result: &'static str,
    pub col_failed: &'static str,
    pub col_rushed: &'static str,
    pub col_integrity: &'static str,
    pub col_verdict: &'static str,
    // Cell words.
    pub rushed: &'static str,
    pub open: &'static str,
    pub finished: &'static str,
    pub abandoned: &'static str,
    pub unreadable: &'static str,
    pub pass: &'static str,
    pub fail: &'static str,
    pub so_far: &'static str,
    pub incomplete: &'static str,
    pub integrity_ok: &'static str,
    pub integrity_torn: &'static str,
    pub integrity_damaged: &'static str,
    pub approved: &'static str,
    pub follow_up: &'static str,
    pub rejected: &'static str,
    /// After a verdict made before the visit last changed.
    pub outdated: &'static str,
    // Answers and outcomes.
    pub done: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    /// Among the counts of `show`: `n/a 2`.
    pub na: &'static str,
    /// An N/A answer.
    pub na_answer: &'static str,
    /// The N/A outcome, in a Markdown table.
    pub outcome_na: &'static str,
    pub info: &'static str,
    pub list_separator: &'static str,
    // `show`.
    pub visit: &'static str,
    pub checklist: &'static str,
    pub technician: &'static str,
    pub started: &'static str,
    pub result: &'static str,
    pub integrity: &'static str,
    pub status: &'static str,
    pub score: &'static str,
    pub passed: &'static str,
    pub failed: &'static str,
    pub missing: &'static str,
    pub hash_chain_verified: &'static str,
    pub hidden: &'static str,
    pub note: &'static str,
    pub amendments: &'static str,
    pub section: &'static str,
    pub item: &'static str,
    pub answer: &'static str,
    pub outcome: &'static str,
    pub answered_at: &'static str,
    /// Said when a store is read whole for the first time, before a screen takes over.
    pub first_open: &'static str,
}

pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::En => &EN,
        Lang::ZhCn => &ZH_CN,
    }
}

pub static EN: Strings = Strings {
    lang: Lang::En,
    colon: ": ",
    col_visit: "visit",
    col_started: "started",
    col_technician: "technician",
    col_checklist: "checklist",
    col_name: "name",
    col_duration: "duration",
    col_score: "score",
    col_result: "result",
    col_failed: "failed",
    col_rushed: "rushed",
    col_integrity: "integrity",
    col_verdict: "verdict",
    rushed: "RUSHED",
    open: "open",
    finished: "finished",
    abandoned: "abandoned",
    unreadable: "unreadable",
    pass: "pass",
    fail: "fail",
    so_far: "so far",
    incomplete: "incomplete",
    integrity_ok: "ok",
    integrity_torn: "torn",
    integrity_damaged: "damaged",
    approved: "approved",
    follow_up: "follow_up",
    rejected: "rejected",
    outdated: " (outdated)",
    done: "done",
    yes: "yes",
    no: "no",
    na: "n/a",
    na_answer: "N/A",
    outcome_na: "na",
    info: "info",
    list_separator: ", ",
    visit: "Visit",
    checklist: "Checklist",
    technician: "Technician",
    started: "Started",
    result: "Result",
    integrity: "Integrity",
    status: "Status",
    score: "score",
    passed: "passed",
    failed: "failed",
    missing: "missing",
    hash_chain_verified: "ok (hash chain verified)",
    hidden: "(hidden)",
    note: "note",
    amendments: "Amendments",
    section: "Section",
    item: "Item",
    answer: "Answer",
    outcome: "Outcome",
    answered_at: "Answered at",
    first_open: "Reading every visit log once to make the summary cache; later opens start from it…",
};

pub static ZH_CN: Strings = Strings {
    lang: Lang::ZhCn,
    colon: "：",
    col_visit: "编号",
    col_started: "开始时间",
    col_technician: "技师",
    col_checklist: "检查表",
    col_name: "名称",
    col_duration: "时长",
    col_score: "得分",
    col_result: "结果",
    col_failed: "不合格",
    col_rushed: "仓促",
    col_integrity: "记录",
    col_verdict: "审核",
    rushed: "仓促",
    open: "进行中",
    finished: "已完成",
    abandoned: "已放弃",
    unreadable: "无法读取",
    pass: "合格",
    fail: "不合格",
    so_far: "目前",
    incomplete: "未完成",
    integrity_ok: "完好",
    integrity_torn: "末行残缺",
    integrity_damaged: "已损坏",
    approved: "通过",
    follow_up: "需整改",
    rejected: "驳回",
    outdated: "（已过时）",
    done: "已完成",
    yes: "是",
    no: "否",
    na: "不适用",
    na_answer: "不适用",
    outcome_na: "不适用",
    info: "记录",
    list_separator: "、",
    visit: "上门记录",
    checklist: "检查表",
    technician: "技师",
    started: "开始时间",
    result: "结果",
    integrity: "完整性",
    status: "状态",
    score: "得分",
    passed: "合格项",
    failed: "不合格项",
    missing: "缺项",
    hash_chain_verified: "完好（哈希链已验证）",
    hidden: "（隐藏）",
    note: "备注",
    amendments: "修改记录",
    section: "部分",
    item: "项目",
    answer: "回答",
    outcome: "结果",
    answered_at: "回答时间",
    first_open: "首次打开：正在读取全部上门记录并建立摘要缓存，以后打开将直接使用缓存……",
};

impl Strings {
    fn zh(&self) -> bool {
        self.lang == Lang::ZhCn
    }

    /// `12 visits` / `12 条上门记录`: the last line of `list`.
    pub fn visit_count(&self, n: usize) -> String {
        match self.lang {
            Lang::En => format!("{n} visit{}", if n == 1 { "" } else { "s" }),
            Lang::ZhCn => format!("{n} 条上门记录"),
        }
    }

    /// `1h05m`, `12m30s`, `45s` (`1时05分`, `12分30秒`, `45秒`).
    pub fn duration(&self, ms: u64) -> String {
        let s = ms / 1000;
        let zh = self.zh();
        match (s / 3600, (s / 60) % 60, s % 60) {
            (0, 0, s) if zh => format!("{s}秒"),
            (0, m, s) if zh => format!("{m}分{s:02}秒"),
            (h, m, _) if zh => format!("{h}时{m:02}分"),
            (0, 0, s) => format!("{s}s"),
            (0, m, s) => format!("{m}m{s:02}s"),
            (h, m, _) => format!("{h}h{m:02}m"),
        }
    }

    /// `zhang.san on tb-0042`.
    pub fn technician_on(&self, technician: &str, host: &str) -> String {
        match self.lang {
            Lang::En => format!("{technician} on {host}"),
            Lang::ZhCn => format!("{technician}（设备 {host}）"),
        }
    }

    /// Who made an amendment: `by zhang.san on tb-0042`; a log written before amendments
    /// named their maker says it does not know.
    pub fn amended_by(&self, technician: Option<&str>, host: Option<&str>) -> String {
        match (self.lang, technician, host) {
            (Lang::En, Some(t), Some(h)) => format!("by {t} on {h}"),
            (Lang::En, Some(t), None) => format!("by {t}"),
            (Lang::En, None, _) => "by an unknown amender (not recorded)".to_owned(),
            (Lang::ZhCn, Some(t), Some(h)) => format!("更正人 {t}（设备 {h}）"),
            (Lang::ZhCn, Some(t), None) => format!("更正人 {t}"),
            (Lang::ZhCn, None, _) => "更正人未知（未记录）".to_owned(),
        }
    }

    /// An amendment without an item: the technician's answer to the supervisor's comment.
    pub fn answer_to_supervisor(&self) -> &'static str {
        match self.lang {
            Lang::En => "answer to the supervisor's comment",
            Lang::ZhCn => "对主管意见的答复",
        }
    }

    /// `finished 2026-11-22T10:30:00+08:00`.
    pub fn finished_at(&self, at: &str) -> String {
        match self.lang {
            Lang::En => format!("finished {at}"),
            Lang::ZhCn => format!("{at} 已完成"),
        }
    }

    /// `abandoned 2026-11-22T10:30:00+08:00: customer not at home`.
    pub fn abandoned_at(&self, at: &str, reason: &str) -> String {
        match self.lang {
            Lang::En => format!("abandoned {at}: {reason}"),
            Lang::ZhCn => format!("{at} 已放弃：{reason}"),
        }
    }

    /// `- Result: **pass**, score 93.0%` in `show --format md`.
    pub fn md_result(&self, result: &str, score: &str) -> String {
        match self.lang {
            Lang::En => format!("- Result: **{result}**, score {score}"),
            Lang::ZhCn => format!("- 结果：**{result}**，得分 {score}"),
        }
    }

    /// `visit 01JD...` as verify names it before a problem.
    pub fn visit_named(&self, id: &str) -> String {
        match self.lang {
            Lang::En => format!("visit {id}"),
            Lang::ZhCn => format!("上门记录 {id}"),
        }
    }

    /// `reviews of visit 01JD...`.
    pub fn reviews_of(&self, id: &str) -> String {
        match self.lang {
            Lang::En => format!("reviews of visit {id}"),
            Lang::ZhCn => format!("上门记录 {id} 的审核记录"),
        }
    }

    /// The last line of `verify`.
    pub fn verify_summary(&self, checked: usize, bad: usize, torn: usize) -> String {
        match self.lang {
            Lang::En => {
                let torn = if torn > 0 {
                    format!(", {torn} with a torn last line")
                } else {
                    String::new()
                };
                let s = if checked == 1 { "" } else { "s" };
                format!("{checked} visit{s} checked: {bad} with problems{torn}")
            }
            Lang::ZhCn => {
                let torn = if torn > 0 {
                    format!("，{torn} 条末行不完整")
                } else {
                    String::new()
                };
                format!("已检查 {checked} 条上门记录：{bad} 条有问题{torn}")
            }
        }
    }

    /// `line 4: ...`, a problem of a log with its line.
    pub fn at_line(&self, line: usize, what: &str) -> String {
        match self.lang {
            Lang::En => format!("line {line}: {what}"),
            Lang::ZhCn => format!("第 {line} 行：{what}"),
        }
    }

    /// One problem of the integrity verdict with its line, in the UI language.
    pub fn line_problem(&self, problem: &LineProblem, typed: &[crate::log::Problem]) -> String {
        self.at_line(problem.line, &self.problem_words(problem, typed))
    }

    /// Why, for one problem of the integrity verdict: translated when the thorough reader
    /// found it (its typed form is among `typed`), as worded otherwise.
    pub fn problem_words(&self, problem: &LineProblem, typed: &[crate::log::Problem]) -> String {
        typed
            .iter()
            .find(|t| t.line == problem.line && t.reason.to_string() == problem.message)
            .map_or_else(|| problem.message.clone(), |t| self.problem(&t.reason))
    }

    /// Why a line of a log is wrong, in words a supervisor can act on. It may quote the
    /// line (an unknown event's name, a JSON parser's detail): through the one sanitiser.
    pub fn problem(&self, kind: &ProblemKind) -> String {
        super::sanitize(&self.problem_text(kind))
    }

    fn problem_text(&self, kind: &ProblemKind) -> String {
        if !self.zh() {
            return kind.to_string();
        }
        match kind {
            ProblemKind::NotUtf8 => "该行不是有效的 UTF-8 文本".into(),
            ProblemKind::EmptyLine => "该行为空".into(),
            ProblemKind::NotJson(detail) => format!("该行不是有效的 JSON（{detail}）"),
            ProblemKind::NotObject => "该行不是 JSON 对象".into(),
            ProblemKind::TooLong { bytes } => {
                format!("该行超过 1 MiB（至少 {bytes} 字节）；日志每行最多 1 MiB——未读取")
            }
            ProblemKind::NoHash => {
                "该行不以哈希结尾（`,\"hash\":\"<64 位小写十六进制>\"}`）".into()
            }
            ProblemKind::NoSeq => "该行没有整数 \"seq\" 成员".into(),
            ProblemKind::Altered => "哈希与该行内容不符——该行写入后被改动过".into(),
            ProblemKind::Missing { found, expected } => {
                let n = found.saturating_sub(*expected);
                format!("seq 为 {found}，应为 {expected}——其前缺少 {n} 行")
            }
            ProblemKind::Reordered { found, expected } => {
                format!("seq {found} 出现在 seq {expected} 之前——行被调换或重新排序")
            }
            ProblemKind::Late { found, after } => {
                format!("seq {found} 出现在 seq {after} 之后——行被调换或重新排序")
            }
            ProblemKind::Duplicate {
                seq,
                first_line,
                identical: true,
            } => format!("seq {seq} 重复——该行与第 {first_line} 行完全相同"),
            ProblemKind::Duplicate {
                seq, first_line, ..
            } => format!("seq {seq} 重复——第 {first_line} 行已有此序号，两个事件占了同一位置"),
            ProblemKind::BadEvent(error) => self.event_error(error),
            ProblemKind::Empty => "日志中没有事件——上门记录日志应以 started 事件开始".into(),
            ProblemKind::NotStarted { event } => {
                format!("第一个事件是 {event} 而不是 started——日志的开头缺失")
            }
            ProblemKind::StartedNotFirst => "started 事件不在第一行".into(),
            ProblemKind::AfterClose {
                event,
                closed_by,
                closed_line,
            } => {
                let closed = match *closed_by {
                    "finished" => "完成",
                    "abandoned" => "放弃",
                    other => other,
                };
                format!(
                    "上门记录已于第 {closed_line} 行{closed}，其后出现 {event}——此后只允许 amended 事件"
                )
            }
            ProblemKind::BadSeal(why) => match why {
                SealWhy::WrongHead => "封签所指的 head 不是上一行的哈希".into(),
                SealWhy::BadSignature => {
                    "封签的签名对本次上门的这一行不成立——记录被改写过，或封签是从别处复制的".into()
                }
                SealWhy::NothingSealed => "封签之前没有可封的行".into(),
            },
        }
    }

    fn event_error(&self, error: &EventError) -> String {
        match error {
            EventError::NotJson(detail) => format!("该行不是有效的 JSON（{detail}）"),
            EventError::NotObject => "该行不是 JSON 对象".into(),
            EventError::Missing(member) => format!("该行没有 \"{member}\" 成员"),
            EventError::WrongType { member, expected } => {
                format!("\"{member}\" 成员的类型不对（应为 {expected}）")
            }
            EventError::UnknownEvent(event) => format!("未知事件 \"{event}\""),
            EventError::BadMembers { event, detail } => {
                format!("{event} 事件的成员有误：{detail}")
            }
            EventError::NotWritable(event) => format!("{event} 事件无法写成 JSON"),
            other => format!("事件有误：{other}"),
        }
    }

    /// A torn last line: what a power cut in the middle of a write leaves.
    pub fn torn(&self, torn: &TornTail) -> String {
        if !self.zh() {
            return torn.to_string();
        }
        let why = match torn.why {
            TornWhy::NoLineEnd => "没有换行符",
            TornWhy::NotJson => "不是完整的 JSON 对象",
            TornWhy::BadHash => "哈希与内容不符",
        };
        format!(
            "第 {} 行：最后一行不完整（{} 字节；{why}）——可能是断电使写入中断",
            torn.line, torn.bytes
        )
    }

    /// A command that needs a terminal, started without one.
    pub fn needs_terminal(&self, command: &str, stdin: bool, stdout: bool) -> String {
        let (en, zh) = match (stdin, stdout) {
            (false, false) => (
                "standard input and output are not",
                "标准输入和输出都不是终端",
            ),
            (false, true) => ("standard input is not", "标准输入不是终端"),
            _ => ("standard output is not", "标准输出不是终端"),
        };
        match self.lang {
            Lang::En => format!(
                "error: `{command}` needs a terminal, and its {en} one; for scripts, `sitecheck list`, `show`, `stats` and `export` print the visits"
            ),
            Lang::ZhCn => format!(
                "error: `{command}` 需要在终端中运行，但{zh}；脚本请用 `sitecheck list`、`show`、`stats` 或 `export` 输出上门记录"
            ),
        }
    }

    /// A `--data-dir` (or `SITECHECK_DATA_DIR`) that is not there to read.
    /// `returns` without `--technician` on its command line.
    pub fn returns_needs_technician(&self) -> String {
        match self.lang {
            Lang::En => "error: returns needs --technician NAME: the technician whose visits' reviews to carry back".to_owned(),
            Lang::ZhCn => "error: returns 需要 --technician 姓名：要带回哪位技术员的上门记录的审核".to_owned(),
        }
    }

    /// A technician the store has never seen, with the ones it has.
    pub fn unknown_technician(&self, name: &str, known: &str) -> String {
        match self.lang {
            Lang::En if known.is_empty() => {
                format!(
                    "error: no visit of technician \"{name}\" is in the store, which has no visits"
                )
            }
            Lang::En => format!(
                "error: no visit of technician \"{name}\" is in the store; its technicians are: {known}"
            ),
            Lang::ZhCn if known.is_empty() => {
                format!("error: 记录库中没有技术员“{name}”的上门记录（记录库是空的）")
            }
            Lang::ZhCn => {
                format!("error: 记录库中没有技术员“{name}”的上门记录；已有的技术员：{known}")
            }
        }
    }

    /// `returns --out` names a folder with something in it (or a file).
    pub fn returns_out_not_empty(&self, dir: &str) -> String {
        match self.lang {
            Lang::En => format!(
                "{dir}: error: this folder is not empty (or is not a folder); give a new or empty folder for the returns. Nothing was written"
            ),
            Lang::ZhCn => format!(
                "{dir}: error: 此文件夹不是空的（或不是文件夹）；请给一个新的或空的文件夹。未写入任何内容"
            ),
        }
    }

    /// What `returns` wrote, and what to do with it on the laptop.
    pub fn returns_written(
        &self,
        logs: usize,
        visits: usize,
        technician: &str,
        dir: &str,
    ) -> String {
        match self.lang {
            Lang::En => {
                let plural = |n: usize, one: &str, many: &str| {
                    format!("{n} {}", if n == 1 { one } else { many })
                };
                format!(
                    "{dir}: {} of {technician}'s {} written (nothing else); on {technician}'s laptop: sitecheck import {dir}",
                    plural(logs, "review log", "review logs"),
                    plural(visits, "visit", "visits")
                )
            }
            Lang::ZhCn => format!(
                "{dir}：已写入 {technician} 的 {visits} 条上门记录中的 {logs} 份审核记录（仅此而已）；在 {technician} 的笔记本上运行：sitecheck import {dir}"
            ),
        }
    }

    pub fn no_data_dir(&self, dir: &str, source: &str) -> String {
        match self.lang {
            Lang::En => format!("error: the data folder {dir} ({source}) does not exist"),
            Lang::ZhCn => format!("error: 数据文件夹 {dir}（{source}）不存在"),
        }
    }

    pub fn data_dir_not_a_folder(&self, dir: &str, source: &str) -> String {
        match self.lang {
            Lang::En => format!("error: the data folder {dir} ({source}) is not a folder"),
            Lang::ZhCn => format!("error: 数据文件夹 {dir}（{source}）不是文件夹"),
        }
    }

    pub fn data_dir_unreadable(&self, dir: &str, source: &str, why: &str) -> String {
        match self.lang {
            Lang::En => format!("error: cannot read the data folder {dir} ({source}): {why}"),
            Lang::ZhCn => format!("error: 无法读取数据文件夹 {dir}（{source}）：{why}"),
        }
    }

    /// `show`, `verify` and `resume` naming a visit that no data folder has.
    pub fn no_such_visit(&self, visit: &str) -> String {
        match self.lang {
            Lang::En => {
                format!(
                    "error: no visit \"{visit}\" in the data folders given — `sitecheck list` shows the visits"
                )
            }
            Lang::ZhCn => {
                format!(
                    "error: 所给数据文件夹中没有上门记录“{visit}”——`sitecheck list` 列出全部上门记录"
                )
            }
        }
    }

    pub fn several_visits(&self, wanted: &str, ids: &str) -> String {
        match self.lang {
            Lang::En => {
                format!("error: \"{wanted}\" matches several visits ({ids}) — give more of the id")
            }
            Lang::ZhCn => format!("error: “{wanted}”对应多条上门记录（{ids}）——请多给出编号的几位"),
        }
    }

    pub fn no_unfinished_visit(&self, dir: &str) -> String {
        match self.lang {
            Lang::En => format!(
                "error: no unfinished visit in {dir} — start one with `sitecheck run <CHECKLIST>`"
            ),
            Lang::ZhCn => {
                format!("error: {dir} 中没有未完成的上门记录——用 `sitecheck run <检查表>` 开始一次")
            }
        }
    }

    pub fn unknown_field(&self, key: &str, checklist: &str, known: &str) -> String {
        match self.lang {
            Lang::En => format!(
                "error: --field {key}: checklist \"{checklist}\" has no visit field \"{key}\"; its fields are: {known}"
            ),
            Lang::ZhCn => format!(
                "error: --field {key}：检查表“{checklist}”没有名为“{key}”的上门信息字段；它的字段有：{known}"
            ),
        }
    }

    pub fn terminal_error(&self, why: &str) -> String {
        match self.lang {
            Lang::En => format!("error: terminal: {why}"),
            Lang::ZhCn => format!("error: 终端：{why}"),
        }
    }

    pub fn cannot_read(&self, path: &str, why: &str) -> String {
        match self.lang {
            Lang::En => format!("{path}: error: cannot read: {why}"),
            Lang::ZhCn => format!("{path}: error: 无法读取：{why}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_problems_are_the_log_s_own_words() {
        let kind = ProblemKind::Missing {
            found: 5,
            expected: 3,
        };
        assert_eq!(EN.problem(&kind), kind.to_string());
        assert_eq!(ZH_CN.problem(&kind), "seq 为 5，应为 3——其前缺少 2 行");
    }

    #[test]
    fn problems_quoting_a_line_are_sanitised() {
        let kind = ProblemKind::BadEvent(EventError::UnknownEvent(
            "x\u{1b}[2J\u{9b}\u{7f}\u{202e}\u{200b}".into(),
        ));
        for s in [&EN, &ZH_CN] {
            let text = s.problem(&kind);
            assert!(!crate::present::needs_sanitizing(&text), "{text:?}");
            assert!(text.contains("x\u{fffd}[2J"), "{text:?}");
        }
    }

    #[test]
    fn durations_in_both_languages() {
        assert_eq!(EN.duration(45_000), "45s");
        assert_eq!(EN.duration(750_000), "12m30s");
        assert_eq!(EN.duration(3_900_000), "1h05m");
        assert_eq!(ZH_CN.duration(45_000), "45秒");
        assert_eq!(ZH_CN.duration(750_000), "12分30秒");
        assert_eq!(ZH_CN.duration(3_900_000), "1时05分");
    }
}
