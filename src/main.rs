fn main() -> std::process::ExitCode {
    sitecheck::cli::main()
}
