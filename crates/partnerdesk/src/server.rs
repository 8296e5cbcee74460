//! Starting and stopping the HTTP server (used by `serve`, `demo` and the tests).

use std::{net::SocketAddr, sync::Arc};

use partnerdesk_app::{
    App, Clock,
    store::{ConnectOptions, ObjectBlobs, Store},
};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

use crate::api::{self, AppState};

/// A running server: its address, and how to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub app: App,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    jobs: JoinHandle<()>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, and waits.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let result = self
            .task
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)));
        self.jobs.abort();
        self.app.store().close().await;
        result
    }

    /// Waits until the server stops by itself (it does not, unless it fails).
    pub async fn wait(self) -> std::io::Result<()> {
        self.task
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)))
    }
}

/// Opens and migrates the database, and opens the file store at `files` (see `ObjectBlobs`).
pub async fn open_app(
    database: &ConnectOptions,
    files: &str,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<App> {
    let files = ObjectBlobs::open(files)?;
    let store = Store::connect(database).await?;
    store
        .migrate()
        .await
        .map_err(|e| anyhow::anyhow!("cannot migrate the database: {e}"))?;
    let app = App::new(store, clock, Arc::new(files));
    app.load_sla_policy()
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the SLA policy: {e}"))?;
    Ok(app)
}

/// Binds and serves `app` until `shutdown` is called.
pub async fn start(app: App, bind: &str, secure_cookies: bool) -> anyhow::Result<Running> {
    let listener = TcpListener::bind(bind).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => {
            anyhow::anyhow!("cannot listen on {bind}: the address is already in use")
        }
        _ => anyhow::anyhow!("cannot listen on {bind}: {e}"),
    })?;
    let addr = listener.local_addr()?;
    let state = AppState {
        app: app.clone(),
        secure_cookies,
        metrics: Arc::default(),
    };
    let router = api::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await
    });
    Ok(Running {
        addr,
        jobs: crate::jobs::spawn(app.clone()),
        app,
        stop: Some(stop),
        task,
    })
}
