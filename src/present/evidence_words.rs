//! The words about evidence (photos and files) that commands and reports print, in English
//! and Simplified Chinese: what `attach` did, why a file was refused, what `verify` found.
//! File names come from outside: every one passes `sanitize` before it is put in a sentence.

use crate::lang::Lang;
use crate::present::sanitize;
use crate::store::evidence::{EvidenceCheck, EvidenceError};
use crate::store::session::{AmendRefused, AttachError};
use crate::visit::size_text;

/// Why a file was not attached, in the UI language (nothing was recorded).
pub fn evidence_error(e: &EvidenceError, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        EvidenceError::NotFound(p) => format!("{p}：没有这个文件——检查文件名，或从列表中选择"),
        EvidenceError::Folder(p) => format!("{p}：是文件夹——请选择其中的文件"),
        EvidenceError::NotAFile(p) => format!("{p}：不是普通文件——请附上照片或文档"),
        EvidenceError::Unreadable(p, why) => format!("{p}：无法读取：{why}"),
        EvidenceError::Empty(p) => format!("{p}：是空文件——没有可附上的内容"),
        EvidenceError::TooLarge { path, size, max } => {
            format!("{path}：大小 {size}；此项最大接受 {max}")
        }
        EvidenceError::Changed(p) => {
            format!("{p}：复制过程中文件发生了变化——等文件保存完成后再附上")
        }
        EvidenceError::BadName(p) => {
            format!("{p}：文件名含有控制字符（转义序列）——请重命名后再附上")
        }
        EvidenceError::Write(p, why) => format!("无法把文件存入 {p}：{why}——没有附上任何文件"),
        EvidenceError::WrongHash(p, sha) => format!("{p}：内容与文件名不符（sha256 {sha}）"),
    }
}

/// Why an attachment was refused, in the UI language.
pub fn attach_error(e: &AttachError, lang: Lang) -> String {
    match (e, lang) {
        (AttachError::Evidence(e), _) => evidence_error(e, lang),
        (_, Lang::En) => sanitize(&e.to_string()),
        (AttachError::NoSuchItem(item), _) => format!("此检查单没有“{}”这一项", sanitize(item)),
        (AttachError::TakesNone(item), _) => {
            format!("“{}”不接受证据（evidence: never）", sanitize(item))
        }
        (AttachError::NotAttached(item), _) => format!("“{}”没有这个附件", sanitize(item)),
        (AttachError::NoReason, _) => "已完成的上门记录只能带理由修改：请给出理由".to_owned(),
        (AttachError::Refused(AmendRefused::NotClosed), _) => {
            "只有已完成的上门记录才能更正".to_owned()
        }
        (AttachError::Refused(AmendRefused::NoTechnician), _) => {
            "已拒绝：不知道您是谁（请用 --technician 姓名）；没有写入任何内容".to_owned()
        }
        (AttachError::Refused(AmendRefused::OtherTechnician { owner }), _) => format!(
            "已拒绝：这是 {} 的上门记录，只有本人可以更正；没有写入任何内容",
            sanitize(owner)
        ),
    }
}

/// `attach`'s line for a file it attached.
pub fn attached_line(item: &str, name: &str, size: u64, sha256: &str, lang: Lang) -> String {
    let (item, name, size) = (sanitize(item), sanitize(name), size_text(size));
    match lang {
        Lang::En => format!("attached {name} ({size}) to {item}: sha256 {sha256}"),
        Lang::ZhCn => format!("已将 {name}（{size}）附到 {item}：sha256 {sha256}"),
    }
}

/// What `verify` says of an evidence file that does not hold; `None` when it holds.
pub fn evidence_problem(
    check: &EvidenceCheck,
    name: &str,
    sha256: &str,
    lang: Lang,
) -> Option<String> {
    let name = sanitize(name);
    Some(match (check, lang) {
        (EvidenceCheck::Holds, _) => return None,
        (EvidenceCheck::Missing, Lang::En) => {
            format!("evidence {name} (sha256 {sha256}) is missing from the store")
        }
        (EvidenceCheck::Missing, Lang::ZhCn) => {
            format!("证据 {name}（sha256 {sha256}）不在存储中")
        }
        (EvidenceCheck::Altered, Lang::En) => format!(
            "evidence {name} (sha256 {sha256}) was altered: its bytes no longer match the log"
        ),
        (EvidenceCheck::Altered, Lang::ZhCn) => {
            format!("证据 {name}（sha256 {sha256}）已被改动：内容与记录不再一致")
        }
        (EvidenceCheck::Unreadable(why), Lang::En) => {
            format!("evidence {name} (sha256 {sha256}) cannot be read: {why}")
        }
        (EvidenceCheck::Unreadable(why), Lang::ZhCn) => {
            format!("证据 {name}（sha256 {sha256}）无法读取：{why}")
        }
    })
}

/// The label before an item's attachments in `show`.
pub fn evidence_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "evidence",
        Lang::ZhCn => "证据",
    }
}

/// An evidence change made after close, in `show`'s list of amendments.
pub fn evidence_change(attached: bool, name: &str, lang: Lang) -> String {
    let name = sanitize(name);
    match (attached, lang) {
        (true, Lang::En) => format!("attached {name}"),
        (false, Lang::En) => format!("took off {name}"),
        (true, Lang::ZhCn) => format!("附上 {name}"),
        (false, Lang::ZhCn) => format!("移除 {name}"),
    }
}

/// "photo required" beside an item whose evidence is missing.
pub fn evidence_missing(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "evidence required",
        Lang::ZhCn => "需要附证据",
    }
}
