//! `dev-provisioning-service`: run the simulated Store Provisioning Service.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use dev_provisioning_service::{router, AppState, Clock, Config};

/// A local Store Provisioning Service with reproducible scenarios chosen by
/// tenant id (`fail-acme`, `huge-acme`, …; see docs/dev-service.md).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8787")]
    addr: SocketAddr,
    /// How long each of the seven simulated steps takes, in milliseconds.
    #[arg(long, default_value_t = 1_500)]
    step_ms: u64,
    /// A built portal (`dist/`) to serve, with deep links answered by its index.html.
    #[arg(long)]
    dist: Option<PathBuf>,
    /// A service-wide limit on new jobs a second: a POST over it is answered
    /// 429 with `Retry-After: 1` (none by default).
    #[arg(long)]
    new_jobs_per_second: Option<u32>,
    /// Answer the events endpoint as a service without streams does (404
    /// `not_found`), for every job: clients poll.
    #[arg(long)]
    no_streams: bool,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    if let Some(dist) = &args.dist {
        if !dist.join("index.html").is_file() {
            eprintln!(
                "error: {} has no index.html; build the portal first (trunk build --release)",
                dist.display()
            );
            std::process::exit(2);
        }
    }
    let state = AppState::new(
        Config {
            step_ms: args.step_ms,
            dist: args.dist,
            new_jobs_per_second: args.new_jobs_per_second,
            streams: !args.no_streams,
        },
        Clock::real(),
    );
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    // Scripts and tests read this line to learn the port.
    println!(
        "dev-provisioning-service listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Ctrl-C, or SIGTERM from a script or a process manager.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
    eprintln!("dev-provisioning-service: shutting down");
}
