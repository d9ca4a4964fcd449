fn main() {
    let path = std::env::args().nth(1).unwrap();
    let src = std::fs::read_to_string(&path).unwrap();
    let parsed = sitecheck::checklist::parse_str(&src);
    for p in &parsed.problems {
        println!("{}", p.display(std::path::Path::new(&path)));
    }
    println!("ok={}", parsed.checklist.is_some());
}
