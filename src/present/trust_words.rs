//! The commands' words about trust across machines — seals, receipts, the ledger, keys —
//! in English and Chinese (the rest are in `strings`).

use crate::keys::SealStatus;
use crate::lang::Lang;

use super::strings::Strings;

impl Strings {
    /// What a visit's seal says, as `verify` and `show` print it.
    pub fn seal_status(&self, status: &SealStatus, technician: &str) -> String {
        match (self.lang, status) {
            (Lang::En, SealStatus::Trusted) => format!("sealed by a key trusted for {technician}"),
            (Lang::En, SealStatus::OtherTechnician(other)) => {
                format!("sealed by {other}'s key, not {technician}'s")
            }
            (Lang::En, SealStatus::UnknownKey) => {
                "sealed by a key not trusted here (`sitecheck keys trust FILE --technician NAME`)"
                    .into()
            }
            (Lang::En, SealStatus::Unsealed { expected: true }) => format!(
                "unsealed, although {technician}'s laptop seals every visit — the log was rewritten without its key"
            ),
            (Lang::En, SealStatus::Unsealed { expected: false }) => "unsealed".into(),
            (Lang::ZhCn, SealStatus::Trusted) => format!("已由 {technician} 的受信任密钥封签"),
            (Lang::ZhCn, SealStatus::OtherTechnician(other)) => {
                format!("由 {other} 的密钥封签，而非 {technician} 的")
            }
            (Lang::ZhCn, SealStatus::UnknownKey) => {
                "由本机未信任的密钥封签（`sitecheck keys trust FILE --technician NAME`）".into()
            }
            (Lang::ZhCn, SealStatus::Unsealed { expected: true }) => format!(
                "未封签，但 {technician} 的电脑会为每次上门封签——记录是在没有其密钥的情况下改写的"
            ),
            (Lang::ZhCn, SealStatus::Unsealed { expected: false }) => "未封签".into(),
        }
    }

    /// `verify`'s count of seals, after its summary.
    pub fn seal_summary(&self, trusted: usize, unknown: usize, unsealed: usize) -> String {
        match self.lang {
            Lang::En => format!(
                "seals: {trusted} by a trusted key, {unknown} by a key not trusted here, {unsealed} unsealed"
            ),
            Lang::ZhCn => format!(
                "封签：{trusted} 条由受信任密钥封签，{unknown} 条由未信任密钥封签，{unsealed} 条未封签"
            ),
        }
    }

    /// `verify --receipt`: the line the receipt stands for is in the log.
    pub fn receipt_held(&self, code: &str, line: usize, event: &str, at: &str) -> String {
        match self.lang {
            Lang::En => {
                format!(
                    "receipt {code}: held — line {line} ({event} at {at}) is in the log, unchanged"
                )
            }
            Lang::ZhCn => {
                format!("回执 {code}：相符——第 {line} 行（{event}，{at}）在记录中，未被改动")
            }
        }
    }

    /// `verify --receipt`: a later amendment, listed under the receipt.
    pub fn receipt_later(&self, line: usize, item: &str, at: &str, reason: &str) -> String {
        match self.lang {
            Lang::En => format!("  later: line {line}: {item} amended at {at} ({reason})"),
            Lang::ZhCn => format!("  其后：第 {line} 行：{at} 修改了 {item}（{reason}）"),
        }
    }

    /// What an amendment without an item answers, in `verify --receipt`'s list.
    pub fn general_comment(&self) -> &'static str {
        match self.lang {
            Lang::En => "(the answer to the general comment)",
            Lang::ZhCn => "（对总体意见的答复）",
        }
    }

    /// `verify --receipt`: no line of the log has that receipt.
    pub fn receipt_not_held(&self, code: &str, id: &str) -> String {
        match self.lang {
            Lang::En => format!(
                "receipt {code}: not in this log — no line of visit {id} has it; the log the customer's receipt came from is not this one"
            ),
            Lang::ZhCn => format!(
                "回执 {code}：不在此记录中——上门记录 {id} 没有任何一行与之相符；客户回执所对应的记录不是这一份"
            ),
        }
    }

    /// A receipt code that cannot be one.
    pub fn not_a_receipt(&self, code: &str) -> String {
        match self.lang {
            Lang::En => format!(
                "error: \"{code}\" is not a receipt code — ten letters and digits, as XXXXX-XXXXX"
            ),
            Lang::ZhCn => {
                format!("error: \"{code}\" 不是回执码——应为十位字母和数字，如 XXXXX-XXXXX")
            }
        }
    }

    /// `show`'s receipt line label.
    pub fn receipt_label(&self) -> &'static str {
        match self.lang {
            Lang::En => "Receipt",
            Lang::ZhCn => "回执码",
        }
    }

    /// `show`'s seal line label.
    pub fn seal_label(&self) -> &'static str {
        match self.lang {
            Lang::En => "Seal",
            Lang::ZhCn => "封签",
        }
    }

    /// `verify`: a log that no longer holds a copy the ledger remembers.
    pub fn ledger_broken(&self, lines: usize, at: &str, shorter: bool) -> String {
        match (self.lang, shorter) {
            (Lang::En, false) => format!(
                "the log no longer begins with the lines imported on {at}: line {lines} was changed since — the log was rewritten after it was imported"
            ),
            (Lang::En, true) => format!(
                "the log is shorter than the {lines} lines imported on {at} — lines were removed after it was imported"
            ),
            (Lang::ZhCn, false) => format!(
                "记录的开头已不是 {at} 导入时的内容：第 {lines} 行此后被改动——记录在导入后被改写"
            ),
            (Lang::ZhCn, true) => {
                format!("记录比 {at} 导入时的 {lines} 行还短——导入后有行被删除")
            }
        }
    }

    /// `verify`: the ledger itself does not verify.
    pub fn ledger_edited(&self, why: &str) -> String {
        match self.lang {
            Lang::En => format!("the import ledger was edited: {why}"),
            Lang::ZhCn => format!("导入台账被改动过：{why}"),
        }
    }

    /// `verify`: a review whose `visit_hash` is no line of the visit's log.
    pub fn review_of_another_log(&self, reviewer: &str, at: &str) -> String {
        match self.lang {
            Lang::En => format!(
                "review of a different log: the line {reviewer} reviewed on {at} is not in this visit's log — the log was rewritten since, or the review belongs elsewhere"
            ),
            Lang::ZhCn => format!(
                "审核的是另一份记录：{reviewer} 于 {at} 审核的那一行不在本次上门记录中——记录此后被改写，或该审核属于别处"
            ),
        }
    }

    /// `keys trust`: done.
    pub fn key_trusted(&self, technician: &str, key: &str, host: &str) -> String {
        match self.lang {
            Lang::En => format!("trusted for {technician}: {key} ({host})"),
            Lang::ZhCn => format!("已信任为 {technician} 的密钥：{key}（{host}）"),
        }
    }

    /// `keys trust`: the card names someone else than the one it is trusted for.
    pub fn key_card_names_another(&self, card: &str, technician: &str) -> String {
        match self.lang {
            Lang::En => {
                format!(
                    "warning: the key file says it is {card}'s; trusted for {technician} as asked"
                )
            }
            Lang::ZhCn => {
                format!("warning: 密钥文件写明属于 {card}；已按要求信任为 {technician} 的密钥")
            }
        }
    }

    /// `keys trust` without `--technician`.
    pub fn key_needs_technician(&self) -> &'static str {
        match self.lang {
            Lang::En => "error: whose key is it? — `sitecheck keys trust FILE --technician NAME`",
            Lang::ZhCn => "error: 这是谁的密钥？——`sitecheck keys trust FILE --technician NAME`",
        }
    }

    /// `keys list`: this laptop's own key.
    pub fn this_laptops_key(&self, key: &str) -> String {
        match self.lang {
            Lang::En => format!("this laptop: {key}"),
            Lang::ZhCn => format!("本机：{key}"),
        }
    }

    /// A visit's seal in a word or two, for the list's column.
    pub fn seal_short(&self, status: &SealStatus) -> &'static str {
        match (self.lang, status) {
            (Lang::En, SealStatus::Trusted) => "sealed",
            (Lang::En, SealStatus::OtherTechnician(_)) => "wrong key",
            (Lang::En, SealStatus::UnknownKey) => "unknown key",
            (Lang::En, SealStatus::Unsealed { expected: true }) => "seal missing",
            (Lang::En, SealStatus::Unsealed { expected: false }) => "unsealed",
            (Lang::ZhCn, SealStatus::Trusted) => "已封签",
            (Lang::ZhCn, SealStatus::OtherTechnician(_)) => "他人密钥",
            (Lang::ZhCn, SealStatus::UnknownKey) => "未知密钥",
            (Lang::ZhCn, SealStatus::Unsealed { expected: true }) => "缺少封签",
            (Lang::ZhCn, SealStatus::Unsealed { expected: false }) => "未封签",
        }
    }

    /// The list's seal column heading.
    pub fn col_seal(&self) -> &'static str {
        match self.lang {
            Lang::En => "seal",
            Lang::ZhCn => "封签",
        }
    }
}

/// What a visit's seal says, for programs (`list --format json`).
pub fn seal_name(status: &SealStatus) -> &'static str {
    match status {
        SealStatus::Trusted => "trusted",
        SealStatus::OtherTechnician(_) => "another_technicians_key",
        SealStatus::UnknownKey => "unknown_key",
        SealStatus::Unsealed { expected: true } => "missing",
        SealStatus::Unsealed { expected: false } => "unsealed",
    }
}
