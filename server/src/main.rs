use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use pantau_core::account::{Grant, NewUser, Role};
use pantau_core::AreaCode;
use pantau_core::Month;
use pantau_core::RegionCode;
use pantau_server::boundaries::{self, ImportError};
use pantau_server::config::{Config, Task};
use pantau_server::store::sqlite::SqliteStore;
use pantau_server::store::{AccountStore, Actor, StoreError};
use pantau_server::{app, http, prepare, AppState};
use time::OffsetDateTime;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::parse();
    // Logs go to stderr: stdout carries only the "listening on" line that tools read. On a
    // terminal they are coloured text for a person; anywhere else (a file, journald, a log
    // collector) one JSON object per line, as log pipelines read them.
    let logs = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(EnvFilter::try_from_env("PANTAU_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")));
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        logs.init();
    } else {
        logs.json().flatten_event(true).with_span_list(false).init();
    }

    if let Some(Task::FixedBody { bytes }) = config.task {
        return fixed_body(config.addr, bytes).await;
    }
    let store = SqliteStore::open(&config.db).await?;
    prepare(&store, config.demo, Month::of(OffsetDateTime::now_utc().date())).await?;
    match &config.task {
        Some(Task::ImportBoundaries { regency, file }) => return import_boundaries(&store, regency, file).await,
        Some(Task::CreateAdmin {
            username,
            display_name,
            email,
        }) => return create_admin(&store, username, display_name, email.clone()).await,
        Some(Task::VerifyAggregates) => return verify_aggregates(&store).await,
        Some(Task::SampleImport { area, rows, file }) => return sample_import(&store, area, *rows, file).await,
        Some(Task::FixedBody { .. }) | None => {}
    }

    let listener = tokio::net::TcpListener::bind(config.addr).await.with_context(|| {
        format!(
            "cannot listen on {}; set --addr or PANTAU_ADDR to a free address",
            config.addr
        )
    })?;
    let addr = listener.local_addr()?;
    let mut state = AppState::new(Arc::new(store), config.static_dir.clone()).await?;
    state.cookie_secure = !config.insecure_cookies;
    state.trusted_proxies = config.trusted_proxies.clone().into();
    state.public_url = config
        .public_url
        .as_deref()
        .map(|url| url.trim_end_matches('/').to_owned());
    // Tests and xtask read this line to learn the port.
    println!("Pantau listening on http://{addr}");
    tracing::info!(%addr, db = %config.db.display(), static_dir = %config.static_dir.display(), "serving");
    // The loop gives every request the client's address (sign-in throttling, refusal logs).
    http::serve::serve(listener, app(state), config.max_connections, shutdown()).await?;
    Ok(())
}

async fn import_boundaries(store: &SqliteStore, regency: &str, file: &std::path::Path) -> anyhow::Result<()> {
    let regency = RegionCode::parse(regency).map_err(|_| anyhow::anyhow!("--regency must be a code such as 11.01"))?;
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    match boundaries::import(store, &regency, text, &Actor::command_line()).await {
        Ok(count) => {
            eprintln!("{count} village boundaries of {regency} stored");
            store.close().await;
            Ok(())
        }
        Err(ImportError::Invalid(errors)) => {
            for error in &errors {
                eprintln!("{error}");
            }
            anyhow::bail!("nothing stored: {} problem(s) in {}", errors.len(), file.display())
        }
        Err(ImportError::Store(err)) => Err(err.into()),
    }
}

async fn sample_import(store: &SqliteStore, area: &str, rows: usize, file: &std::path::Path) -> anyhow::Result<()> {
    use pantau_server::store::Store;
    let area = RegionCode::parse(area).map_err(|e| anyhow::anyhow!("{area}: {e}"))?;
    let villages: Vec<RegionCode> = store
        .region_names()
        .await?
        .into_iter()
        .map(|(code, _)| code)
        .filter(|code| code.level() == pantau_core::Level::Village && area.contains(code))
        .collect();
    store.close().await;
    anyhow::ensure!(!villages.is_empty(), "no villages in {area}");
    let month = Month::of(OffsetDateTime::now_utc().date()).to_string();
    std::fs::write(file, pantau_server::demo::import_file(rows, &villages, &month))
        .with_context(|| format!("cannot write {}", file.display()))?;
    eprintln!(
        "{rows} fictional rows over {} villages written to {}",
        villages.len(),
        file.display()
    );
    Ok(())
}

async fn verify_aggregates(store: &SqliteStore) -> anyhow::Result<()> {
    let differing = store.verify_aggregates().await?;
    store.close().await;
    if differing.is_empty() {
        eprintln!("aggregates agree with a full recount of the enrolments");
        return Ok(());
    }
    for (table, rows) in &differing {
        eprintln!("{table}: {rows} row(s) differ from a full recount");
    }
    anyhow::bail!("aggregates differ in {} table(s)", differing.len())
}

async fn create_admin(
    store: &SqliteStore,
    username: &str,
    display_name: &str,
    email: Option<String>,
) -> anyhow::Result<()> {
    let password = match std::env::var("PANTAU_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let user = NewUser {
        username: username.to_owned(),
        email,
        display_name: display_name.to_owned(),
        grant: Grant {
            role: Role::NationalAdmin,
            scope: AreaCode::Nation,
        },
    };
    let account = http::users::prepare_account(store, user, Some(password))
        .await
        .map_err(|err| anyhow::anyhow!("{}", err.message()))?;
    match store.create_account(&account, None).await {
        Ok(id) => {
            eprintln!("national admin {username} created (account {id})");
            store.close().await;
            Ok(())
        }
        Err(StoreError::Conflict) => anyhow::bail!("the username or e-mail is already in use"),
        Err(err) => Err(err.into()),
    }
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}

/// `pantau-server fixed-body`: what axum alone answers, for the benchmark's ceiling.
async fn fixed_body(addr: std::net::SocketAddr, bytes: usize) -> anyhow::Result<()> {
    let body = axum::body::Bytes::from(vec![b'x'; bytes]);
    let router = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], body) }
    });
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("Pantau listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router).await?;
    Ok(())
}
