//! The command line: `serve`, `migrate`, `demo`, `admin …`. Flags mirror `PARTNERDESK_*`
//! environment variables. Failures are one clear line on stderr and a non-zero exit.

use std::{process::ExitCode, sync::Arc};

use clap::{Args, Parser, Subcommand, ValueEnum};
use partnerdesk_app::{
    App, SystemClock,
    demo::{self, DEMO_PASSWORD, DEMO_USERS},
    domain::Guid,
    store::{ConnectOptions, SqliteSync},
};

use crate::server;

#[derive(Parser)]
#[command(
    name = "partnerdesk",
    version,
    about = "The support-escalation desk of a cloud operator that sells through partners"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DatabaseArgs {
    /// sqlite:PATH (the embedded default) or postgres://USER@HOST/DB
    #[arg(
        long,
        global = true,
        env = "PARTNERDESK_DATABASE_URL",
        default_value = "sqlite://partnerdesk.db"
    )]
    database_url: String,
    /// Database connections (SQLite: readers; PostgreSQL: all).
    #[arg(
        long,
        global = true,
        env = "PARTNERDESK_DATABASE_CONNECTIONS",
        default_value_t = 8
    )]
    database_connections: u32,
    /// Memory (MiB) for requests kept decoded between reads, checked against the database's
    /// version of each row on every read; 0 keeps none.
    #[arg(
        long,
        global = true,
        env = "PARTNERDESK_REQUEST_CACHE_MB",
        default_value_t = 40
    )]
    request_cache_mb: u64,
    /// SQLite durability: full fsyncs every commit; normal may lose the last commits on power loss.
    #[arg(long, global = true, env = "PARTNERDESK_SQLITE_SYNC", value_enum, default_value_t = SyncArg::Full)]
    sqlite_sync: SyncArg,
    /// Where attached files are kept: a directory, or s3://BUCKET/PREFIX (a build with the
    /// `s3` feature; credentials from AWS_* variables) when several nodes serve.
    #[arg(
        long,
        global = true,
        env = "PARTNERDESK_FILES",
        default_value = "partnerdesk-files"
    )]
    files: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum SyncArg {
    Full,
    Normal,
}

impl DatabaseArgs {
    fn options(&self) -> ConnectOptions {
        let mut options = ConnectOptions::new(self.database_url.clone());
        options.connections = self.database_connections;
        options.request_cache_bytes = self.request_cache_mb.saturating_mul(1 << 20);
        options.sqlite_sync = match self.sqlite_sync {
            SyncArg::Full => SqliteSync::Full,
            SyncArg::Normal => SqliteSync::Normal,
        };
        options
    }
}

#[derive(Args, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PARTNERDESK_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Mark session cookies Secure (set when served over HTTPS).
    #[arg(long, env = "PARTNERDESK_SECURE_COOKIES", default_value_t = false)]
    secure_cookies: bool,
    /// Changes one user may make per minute on this node (then 429 with Retry-After).
    #[arg(long, env = "PARTNERDESK_WRITES_PER_MINUTE", default_value_t = partnerdesk_app::write_limit::DEFAULT_WRITES_PER_MINUTE, value_parser = clap::value_parser!(u32).range(1..))]
    writes_per_minute: u32,
    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web API (and, later, pages and jobs).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(DatabaseArgs),
    /// Serve with a seeded demo world (seeded once; re-running keeps it).
    Demo(ServeArgs),
    /// Administration: users and API tokens.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Run one round of upkeep (the SLA sweep, plan proposals, purges) and print what it did,
    /// e.g. `breaches=3`; every server also runs it each minute, and any number may run at once.
    Upkeep,
    /// Seed the demo world plus N synthetic requests and M articles (for load tests); prints
    /// the first and last new request id. The requests are spread over Contoso's customers, of
    /// which `--customers` (if more than the demo's) are made.
    Seed {
        #[arg(long, default_value_t = 0)]
        requests: usize,
        #[arg(long, default_value_t = 0)]
        articles: usize,
        #[arg(long, default_value_t = 0)]
        customers: usize,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Print a new API token acting as the user (the only line on stdout).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user in an organization (by id or exact name).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        org: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: Option<String>,
        /// The initial password (at least 10 characters); read from PARTNERDESK_NEW_PASSWORD if unset.
        #[arg(long, env = "PARTNERDESK_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PARTNERDESK_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .json()
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("partnerdesk: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("partnerdesk: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn open(database: &DatabaseArgs) -> anyhow::Result<App> {
    server::open_app(&database.options(), &database.files, Arc::new(SystemClock)).await
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Migrate(database) => {
            open(&database).await?;
            eprintln!("partnerdesk: migrations applied");
            Ok(())
        }
        Command::Serve(args) => serve(args, false).await,
        Command::Demo(args) => serve(args, true).await,
        Command::Admin { command, database } => {
            let app = open(&database).await?;
            admin(&app, command).await
        }
    }
}

async fn serve(args: ServeArgs, demo_world: bool) -> anyhow::Result<()> {
    let app = open(&args.database)
        .await?
        .with_writes_per_minute(args.writes_per_minute);
    if demo_world {
        let seeded = demo::seed(&app).await?;
        eprintln!(
            "partnerdesk: demo world {}",
            if seeded { "seeded" } else { "already present" }
        );
    }
    let running = server::start(app, &args.bind, args.secure_cookies).await?;
    let url = format!("http://{}", running.addr);
    println!(
        "partnerdesk is listening on {url}  (sign in there; API under {url}/v1, docs at {url}/docs, health at {url}/healthz)"
    );
    if demo_world {
        println!("Demo sign-ins (password \"{DEMO_PASSWORD}\"):");
        for (email, role, org) in DEMO_USERS {
            println!("  {email:<28} {role:<18} {org}");
        }
        println!("Get an API token: partnerdesk admin token create --email agent@contoso.example");
    }
    shutdown_signal().await;
    eprintln!("partnerdesk: shutting down");
    running.shutdown().await?;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => return interrupt.await.unwrap_or(()),
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    interrupt.await.unwrap_or(());
}

async fn admin(app: &App, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Token {
            command: TokenCommand::Create { email, name },
        } => {
            let issued = app.create_token_for_email(&email, &name).await?;
            println!("{}", issued.secret);
        }
        AdminCommand::User {
            command:
                UserCommand::Add {
                    email,
                    org,
                    role,
                    name,
                    password,
                },
        } => {
            let org_id = match org.parse::<Guid>() {
                Ok(id) => id,
                Err(_) => find_org(app, &org).await?,
            };
            let user = app
                .add_user(
                    None,
                    &email,
                    name.as_deref(),
                    org_id,
                    &role,
                    password.as_deref(),
                )
                .await?;
            println!("{}", user.id);
        }
        AdminCommand::Upkeep => {
            let done = app.maintain().await?;
            println!(
                "near_breaches={} breaches={} plans_proposed={} sessions_purged={} staged_files_purged={} rate_limits_purged={}",
                done.sla.near_breaches,
                done.sla.breaches,
                done.plans_proposed,
                done.sessions_purged,
                done.staged_files_purged,
                done.rate_limits_purged
            );
        }
        AdminCommand::Seed {
            requests,
            articles,
            customers,
        } => {
            if articles > 0 {
                demo::seed_load_articles(app, articles).await?;
            }
            let ids = demo::seed_load(app, requests, customers).await?;
            println!(
                "{} {}",
                ids.first().copied().unwrap_or(0),
                ids.last().copied().unwrap_or(0)
            );
        }
    }
    Ok(())
}

async fn find_org(app: &App, name: &str) -> anyhow::Result<Guid> {
    use partnerdesk_app::domain::{EnumText, OrgKind};
    for kind in OrgKind::ALL {
        let page = app.store().organizations(*kind, Some(name), 0, 50).await?;
        if let Some(org) = page.items.iter().find(|o| o.name == name) {
            return Ok(org.id);
        }
    }
    anyhow::bail!("no organization named {name:?} (give its id or exact name)")
}
