//! Parses one checklist file and prints its problems; `sitecheck lint` is the real tool.
fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: smoke_parse <checklist.yaml>");
    let src = std::fs::read_to_string(&path).expect("cannot read the file");
    let parsed = sitecheck::checklist::parse_str(&src);
    for p in &parsed.problems {
        println!("{}", p.display(std::path::Path::new(&path)));
    }
    println!("ok={}", parsed.checklist.is_some());
}
