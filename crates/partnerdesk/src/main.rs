/// mimalloc: the server allocates small short-lived objects from many threads, where glibc's
/// arenas showed up as lock contention under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    partnerdesk::cli::main()
}
