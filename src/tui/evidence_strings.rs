//! Every word the screens show about evidence (photos and files), in English and
//! Simplified Chinese. `Strings::attach_error` turns an attach error into a message.

pub struct EvidenceStrings {
    /// The run screen's footer where `e` works (open / finished visit), long and short.
    pub run_keys: &'static str,
    pub run_keys_short: &'static str,
    pub run_keys_finished: &'static str,
    pub run_keys_finished_short: &'static str,
    /// Before the item's attachments.
    pub label: &'static str,
    pub required: &'static str,
    /// In the summary's missing list.
    pub missing: &'static str,
    pub takes_none: &'static str,
    pub picker_title: &'static str,
    pub picker_hint: &'static str,
    pub picker_keys: &'static str,
    pub picker_keys_short: &'static str,
    pub attached_heading: &'static str,
    pub inbox_heading: &'static str,
    pub path_heading: &'static str,
    pub inbox_empty: &'static str,
    pub no_match: &'static str,
    pub copying: &'static str,
    pub attached: &'static str,
    pub detached: &'static str,
    pub reason_title: &'static str,
    pub reason_hint: &'static str,
    pub now: &'static str,
    pub minutes: &'static str,
    pub hours: &'static str,
    pub days: &'static str,
    pub no_preview: &'static str,
    pub not_found: &'static str,
    pub folder: &'static str,
    pub not_a_file: &'static str,
    pub unreadable: &'static str,
    pub empty: &'static str,
    /// `{size}` and `{max}` are filled in.
    pub too_large: &'static str,
    pub changed: &'static str,
    pub bad_name: &'static str,
    pub write: &'static str,
    pub wrong_hash: &'static str,
    pub not_attached: &'static str,
    pub no_reason: &'static str,
}

impl EvidenceStrings {
    /// How long ago a file was made: `now`, `5 min`, `3 h`, `2 d`.
    pub fn age(&self, seconds: u64) -> String {
        match seconds {
            0..60 => self.now.to_owned(),
            60..3600 => format!("{} {}", seconds / 60, self.minutes),
            3600..86400 => format!("{} {}", seconds / 3600, self.hours),
            _ => format!("{} {}", seconds / 86400, self.days),
        }
    }
}

pub static EN: EvidenceStrings = EvidenceStrings {
    run_keys: "↑↓ 1-9 answer  c note  e photo  ⌫ clear  Tab missing  s summary  ? help  q quit",
    run_keys_short: "↑↓ 1-9 c e ⌫ Tab s ? q",
    run_keys_finished: "↑↓ move  A amend  e photo  h details  s summary  ? help  q quit",
    run_keys_finished_short: "↑↓ A e h s ? q",
    label: "Photos",
    required: "photo required",
    missing: "photo missing",
    takes_none: "e: this item takes no photos or files",
    picker_title: "Attach a photo or file",
    picker_hint: "type to filter, or a path (/ ~ .)",
    picker_keys: "Enter attach  Tab path  Del take off  Esc close",
    picker_keys_short: "↑↓ Enter Tab Del Esc",
    attached_heading: "Attached",
    inbox_heading: "Newest in",
    path_heading: "In the folder",
    inbox_empty: "no files here: type a path (/ ~ .)",
    no_match: "nothing matches",
    copying: "copying",
    attached: "attached",
    detached: "taken off (the file stays in the store)",
    reason_title: "Reason for the change",
    reason_hint: "why it changes (required)",
    now: "now",
    minutes: "min",
    hours: "h",
    days: "d",
    no_preview: "no preview",
    not_found: "no such file; nothing attached",
    folder: "is a folder, pick a file in it; nothing attached",
    not_a_file: "is not a regular file; nothing attached",
    unreadable: "cannot be read; nothing attached",
    empty: "is empty; nothing attached",
    too_large: "too large ({size}; this item takes up to {max}); nothing attached",
    changed: "changed while it was copied; attach it again once saved",
    bad_name: "its name has control characters; rename it; nothing attached",
    write: "cannot be stored (disk full?); nothing attached",
    wrong_hash: "its bytes do not match; nothing attached",
    not_attached: "that file is not attached here",
    no_reason: "a finished visit changes only with a reason",
};

pub static ZH_CN: EvidenceStrings = EvidenceStrings {
    run_keys: "↑↓ 移动 1-9 作答 c 备注 e 照片 ⌫ 清除 Tab 未答 s 汇总 ? 帮助 q 退出",
    run_keys_short: "↑↓ 1-9 c e ⌫ Tab s ? q",
    run_keys_finished: "↑↓ 移动 A 更正 e 照片 h 信息 s 汇总 ? 帮助 q 退出",
    run_keys_finished_short: "↑↓ A e h s ? q",
    label: "照片",
    required: "需要照片",
    missing: "缺少照片",
    takes_none: "e：此项不需要照片或文件",
    picker_title: "添加照片或文件",
    picker_hint: "输入文字筛选，或输入路径（/ ~ .）",
    picker_keys: "↑↓ 选择 回车 添加 Tab 补全 Del 移除 Esc 关闭",
    picker_keys_short: "↑↓ 回车 Tab Del Esc",
    attached_heading: "已添加",
    inbox_heading: "最新文件：",
    path_heading: "文件夹内：",
    inbox_empty: "这里没有文件：请输入路径（/ ~ .）",
    no_match: "没有匹配的文件",
    copying: "正在复制",
    attached: "已添加",
    detached: "已移除（文件仍保存在存储中）",
    reason_title: "更正原因",
    reason_hint: "更改的原因（必填）",
    now: "刚刚",
    minutes: "分钟",
    hours: "小时",
    days: "天",
    no_preview: "无法预览",
    not_found: "文件不存在；未添加",
    folder: "是文件夹，请选择其中的文件；未添加",
    not_a_file: "不是普通文件；未添加",
    unreadable: "无法读取；未添加",
    empty: "是空文件；未添加",
    too_large: "文件太大（{size}；此项最多 {max}）；未添加",
    changed: "复制时文件发生了变化；保存完成后请重新添加",
    bad_name: "文件名含控制字符，请重命名；未添加",
    write: "无法保存（磁盘已满？）；未添加",
    wrong_hash: "内容与记录不符；未添加",
    not_attached: "此项没有这个附件",
    no_reason: "已完成的记录只能在填写原因后更改",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_at_a_glance() {
        assert_eq!(EN.age(5), "now");
        assert_eq!(EN.age(300), "5 min");
        assert_eq!(ZH_CN.age(7200), "2 小时");
        assert_eq!(EN.age(3 * 86400), "3 d");
    }
}
