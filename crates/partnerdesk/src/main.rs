fn main() -> std::process::ExitCode {
    partnerdesk::cli::main()
}
