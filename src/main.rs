// Opening and exporting a store makes millions of small allocations across threads, where
// glibc's allocator spends a fifth of the time merging free chunks (see benches/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    sitecheck::cli::main()
}
