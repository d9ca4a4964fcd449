//! The HTML report and a visit sheet rendered by a real headless browser (SPEC section 5,
//! issue 12): the report's summary prints on exactly one A4 page, Chinese comes out of the
//! Chinese PDF in a CJK font, no element overflows its box, and no script runs (the pages
//! hold none, and their Content-Security-Policy blocks one injected).
//!
//! Needs Chromium and poppler (`.ci/run` installs `chromium fonts-noto-cjk poppler-utils`):
//! without them the test fails, saying so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod gen_support;
mod store_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use gen_support::{damage, generate, walk};
use store_support::sitecheck;

fn chromium() -> PathBuf {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| {
            panic!(
                "chromium is not installed: this test renders the HTML in a real browser. \
                 Install it with `apt-get install chromium fonts-noto-cjk poppler-utils` \
                 (.ci/run does)"
            )
        })
}

/// Runs a poppler tool (`pdftotext`, `pdfinfo`), failing clearly without it.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| {
            panic!("{tool} cannot run ({e}): install poppler-utils (.ci/run does)")
        });
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Chromium, headless, as root (no sandbox), with a profile of its own per run.
fn browser(work: &Path, args: &[&str], page: &Path) -> String {
    let profile = tempfile::tempdir_in(work).unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn print_to_pdf(work: &Path, page: &Path) -> PathBuf {
    let pdf = page.with_extension("pdf");
    browser(
        work,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
        page,
    );
    assert!(pdf.exists(), "chromium wrote no {}", pdf.display());
    pdf
}

fn pages(pdf: &Path) -> u32 {
    let info = poppler("pdfinfo", &[], pdf);
    let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn page_text(pdf: &Path, page: u32) -> String {
    let n = page.to_string();
    poppler("pdftotext", &["-f", &n, "-l", &n], pdf)
}

/// Marks every element whose content is wider than its box, or that reaches past the
/// page's body, and writes them into the page for `--dump-dom` to show.
const PROBE: &str = r#"<script>
const bad = [];
const body = document.body.getBoundingClientRect();
for (const e of document.querySelectorAll('body *')) {
  if (!(e instanceof HTMLElement)) continue;
  const r = e.getBoundingClientRect();
  const wide = e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1;
  const out = r.width > 0 && (r.right > body.right + 1 || r.left < body.left - 1);
  if (wide || out) bad.push(e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 60));
}
const p = document.createElement('pre');
p.id = 'overflow-probe';
p.textContent = 'checked ' + document.querySelectorAll('body *').length + '\n' + bad.join('\n');
document.body.appendChild(p);
</script>"#;

/// What the probe found in `html` laid out at A4's printable width; `None` when the probe
/// did not run. `keep_policy` leaves the page's Content-Security-Policy in place.
fn probe(work: &Path, html: &str, name: &str, keep_policy: bool) -> Option<String> {
    let mut copy = html.replace("</body>", &format!("{PROBE}\n</body>"));
    if !keep_policy {
        copy = copy.replace(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\">",
            "",
        );
    }
    let page = work.join(name);
    std::fs::write(&page, copy).unwrap();
    // 794 × 1123 CSS pixels: an A4 sheet at 96 dpi.
    let dom = browser(
        work,
        &[
            "--window-size=794,1123",
            "--virtual-time-budget=2000",
            "--dump-dom",
        ],
        &page,
    );
    let start = dom.find("<pre id=\"overflow-probe\">")?;
    let rest = &dom[start + "<pre id=\"overflow-probe\">".len()..];
    Some(rest[..rest.find("</pre>").unwrap()].to_owned())
}

/// Asserts the page holds no script, forbids any, and that nothing in it overflows.
fn assert_safe_and_fitting(work: &Path, html: &str, name: &str) {
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "{name} holds a script"
    );
    assert!(
        html.contains("content=\"script-src 'none'\""),
        "{name}: no CSP"
    );
    assert_eq!(
        probe(work, html, &format!("csp-{name}"), true),
        None,
        "{name}: a script injected into the page ran despite its policy"
    );
    let found = probe(work, html, &format!("probe-{name}"), false)
        .unwrap_or_else(|| panic!("{name}: the overflow probe did not run"));
    let mut lines = found.lines();
    let checked: usize = lines
        .next()
        .and_then(|l| l.strip_prefix("checked "))
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(checked > 50, "{name}: only {checked} elements laid out");
    let overflowing: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    assert!(
        overflowing.is_empty(),
        "{name}: elements overflow their box:\n{}",
        overflowing.join("\n")
    );
}

/// The text of the element opened by `open` (up to its closing tag), unescaped enough for
/// comparing with a PDF's text.
fn element_text(html: &str, open: &str) -> String {
    let start = html.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    let rest = &html[start..];
    let text = &rest[..rest.find("</").unwrap()];
    text.replace("&amp;", "&").replace("&#39;", "'")
}

/// Whitespace-free text, since the PDF's lines break where the page does.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A visit of the store with amendments and reviews, for the sheet.
fn amended_and_reviewed(data: &Path) -> String {
    walk(&data.join("visits"))
        .into_iter()
        .filter_map(|log| {
            let id = log.file_stem()?.to_str()?.to_owned();
            let text = std::fs::read_to_string(&log).ok()?;
            (text.contains("\"event\":\"amended\"")
                && data.join("reviews").join(format!("{id}.jsonl")).exists())
            .then_some(id)
        })
        .min()
        .expect("a visit amended and reviewed")
}

#[test]
fn the_report_and_a_visit_sheet_render_in_a_real_browser() {
    chromium();
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path();
    let data = work.join("store");
    generate(300, 3, &data);
    assert_eq!(damage(&data, 2), 2);
    let dirs = [data.as_path()];

    for (lang, detail, chinese) in [
        ("en", "Detail", None),
        ("zh-CN", "明细", Some("服务质量报告")),
    ] {
        let out = sitecheck(&dirs, &["--lang", lang, "export", "--format", "html"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let html = out.stdout;
        assert!(html.contains(&format!("<h2 id=\"detail\">{detail}</h2>")));
        // The store has every kind of visit the report places.
        for (figure, at_least) in [
            ("finished", 1),
            ("open", 1),
            ("abandoned", 1),
            ("damaged", 2),
        ] {
            let card = element_text(&html, &format!("data-figure=\"{figure}\"><b>"));
            assert!(card.parse::<u32>().unwrap() >= at_least, "{figure}: {card}");
        }
        let page = work.join(format!("report-{lang}.html"));
        std::fs::write(&page, &html).unwrap();
        let pdf = print_to_pdf(work, &page);
        assert!(pages(&pdf) >= 2, "{lang}: the detail follows the summary");
        let first = page_text(&pdf, 1);
        // The whole summary is on page 1: its title and its last line ...
        let end = element_text(&html, "<p class=\"foot\" id=\"summary-end\">");
        assert!(
            squeeze(&first).contains(&squeeze(&end)),
            "{lang}: the summary's last line {end:?} is not on page 1:\n{first}"
        );
        // ... the first visit needing attention, by its receipt ...
        let receipt = element_text(&html, "<td class=\"code\">");
        assert!(first.contains(&receipt), "{lang}: {receipt} not on page 1");
        // ... and none of the detail, which starts page 2.
        assert!(
            !first.lines().any(|l| l.trim() == detail),
            "{lang}: the detail begins on page 1:\n{first}"
        );
        let second = page_text(&pdf, 2);
        assert_eq!(second.lines().next().map(str::trim), Some(detail), "{lang}");
        if let Some(title) = chinese {
            assert!(first.contains(title), "no Chinese out of the PDF:\n{first}");
            assert!(first.contains("当前需要处理") && first.contains("技师目标排名"));
            // Chromium embeds its glyphs nameless (Type 3): the font must be there to draw them.
            let fonts = Command::new("fc-list")
                .arg(":lang=zh-cn")
                .arg("family")
                .output()
                .expect("fc-list (fontconfig, installed with chromium)");
            assert!(
                !fonts.stdout.is_empty(),
                "no Chinese font: install fonts-noto-cjk (.ci/run does)"
            );
        }
        assert_safe_and_fitting(work, &html, &format!("report-{lang}.html"));
    }

    let visit = amended_and_reviewed(&data);
    for (lang, title) in [("en", "Visit sheet"), ("zh-CN", "走访记录单")] {
        let out = sitecheck(&dirs, &["--lang", lang, "show", &visit, "--format", "html"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let html = out.stdout;
        let page = work.join(format!("sheet-{lang}.html"));
        std::fs::write(&page, &html).unwrap();
        let pdf = print_to_pdf(work, &page);
        let first = page_text(&pdf, 1);
        assert!(
            squeeze(&first).contains(&squeeze(title)),
            "{lang}: no title in\n{first}"
        );
        let text: String = (1..=pages(&pdf))
            .map(|n| squeeze(&page_text(&pdf, n)))
            .collect();
        let receipt = sitecheck(&dirs, &["show", &visit, "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&receipt.stdout).unwrap();
        let code = json["receipt"].as_str().unwrap();
        assert!(text.contains(code), "{lang}: receipt {code} not printed");
        let trail = if lang == "en" {
            "Reviewtrail"
        } else {
            "审核记录"
        };
        assert!(text.contains(trail), "{lang}: no review trail");
        let amendments = if lang == "en" {
            "Amendments"
        } else {
            "修改记录"
        };
        assert!(text.contains(amendments), "{lang}: no amendments");
        assert_safe_and_fitting(work, &html, &format!("sheet-{lang}.html"));
    }
}

/// A real photo (a PNG of `w`x`h` with a gradient, so its thumbnail is a picture).
fn photo(path: &Path, w: u32, h: u32) {
    image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 120])
    })
    .save(path)
    .unwrap();
}

#[test]
fn photos_print_as_thumbnails_in_the_sheet_and_the_report() {
    use store_support::{IDS, Visit};
    chromium();
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path();
    let data = work.join("store");
    // A failed visit (needs attention), two photos added after it was finished.
    let mut visit = Visit::start(IDS[0], "2026-11-22", "zhang.san", &[("work_order", "WO-9")]);
    visit
        .answer(30, "badge", "\"fail\"", Some("no badge"))
        .answer(60, "clean", "\"pass\"", None)
        .answer(90, "satisfaction", "2", None)
        .finish(120);
    visit.write(&data);
    let (unit, plate) = (work.join("unit.png"), work.join("plate 铭牌.png"));
    photo(&unit, 1600, 1200);
    photo(&plate, 400, 900);
    let attach = sitecheck(
        &[&data],
        &[
            "--technician",
            "zhang.san",
            "attach",
            IDS[0],
            "badge",
            unit.to_str().unwrap(),
            plate.to_str().unwrap(),
            "--reason",
            "photos the supervisor asked for",
        ],
    );
    assert_eq!(attach.code, 0, "{}", attach.stderr);

    let sheet = sitecheck(&[&data], &["show", IDS[0], "--format", "html"]);
    assert_eq!(sheet.code, 0, "{}", sheet.stderr);
    let report = sitecheck(&[&data], &["export", "--format", "html"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    for (name, html) in [("sheet", &sheet.stdout), ("report", &report.stdout)] {
        // Scaled copies, not the originals: two small JPEGs, each linked to its file.
        assert_eq!(
            html.matches("<img src=\"data:image/jpeg;base64,").count(),
            2,
            "{name}"
        );
        assert!(html.len() < 200_000, "{name}: {} bytes", html.len());
        assert_eq!(html.matches("<a href=\"file://").count(), 2, "{name}");
        assert!(html.contains("plate 铭牌.png"), "{name}");
        let page = work.join(format!("photos-{name}.html"));
        std::fs::write(&page, html).unwrap();
        let pdf = print_to_pdf(work, &page);
        // To look at the pages yourself: SITECHECK_KEEP_PAGES=DIR cargo test --test html_browser
        if let Some(keep) = std::env::var_os("SITECHECK_KEEP_PAGES") {
            std::fs::copy(&pdf, Path::new(&keep).join(pdf.file_name().unwrap())).unwrap();
        }
        let images = poppler("pdfimages", &["-list"], &pdf);
        // A header, a rule, then one line per image the PDF holds.
        assert!(
            images.lines().count() >= 2 + 2,
            "{name}: no images in the PDF:\n{images}"
        );
        let text: String = (1..=pages(&pdf))
            .map(|n| squeeze(&page_text(&pdf, n)))
            .collect();
        assert!(text.contains("unit.png"), "{name}: no caption in\n{text}");
        assert_safe_and_fitting(work, html, &format!("photos-{name}.html"));
    }
    assert!(
        report
            .stdout
            .contains("Photos of the visits that need attention")
    );

    // A photo gone from the store is named, not drawn.
    let sha = store_support::sha256_hex(&std::fs::read(&unit).unwrap());
    std::fs::remove_file(data.join("evidence").join(&sha[..2]).join(&sha)).unwrap();
    let sheet = sitecheck(&[&data], &["show", IDS[0], "--format", "html"]);
    assert_eq!(sheet.stdout.matches("<img src=").count(), 1);
    assert!(sheet.stdout.contains("missing from the store"));
}
