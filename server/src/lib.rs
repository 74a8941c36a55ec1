//! Pantau's server: the JSON API under `/api/v1` and the built app with SPA fallback.

pub mod auth;
pub mod boundaries;
pub mod config;
pub mod demo;
pub mod http;
pub mod import;
pub mod maps;
pub mod reference;
pub mod search;
pub mod store;

use std::path::PathBuf;
use std::sync::Arc;

use axum::{middleware, Router};
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};

use crate::store::Store;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Region name search, built from the database's region list.
    pub search: Arc<search::SearchIndex>,
    /// Folder of the built app.
    pub static_dir: PathBuf,
    /// Map boundaries shipped with the build.
    pub maps: Arc<maps::MapLibrary>,
    /// Full public answers kept for the current data version.
    pub answers: Arc<http::answers::Answers>,
    /// Sign-in attempt limits.
    pub throttle: Arc<auth::Throttle>,
    /// Whether the session cookie is `Secure` (off only for plain-HTTP development).
    pub cookie_secure: bool,
    /// The site's public address without a trailing slash, when configured.
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
}

impl AppState {
    /// State over `store`, with the search index built from its regions.
    pub async fn new(store: Arc<dyn Store>, static_dir: PathBuf) -> anyhow::Result<Self> {
        let names = store.region_names().await?;
        let search = Arc::new(tokio::task::spawn_blocking(move || search::SearchIndex::build(names)).await??);
        Ok(Self {
            store,
            search,
            static_dir,
            maps: Arc::new(maps::MapLibrary::shipped()),
            answers: Arc::default(),
            throttle: Arc::new(auth::Throttle::default()),
            cookie_secure: true,
            public_url: None,
            trusted_proxies: Arc::new([]),
        })
    }
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let dist = state.static_dir.clone();
    // Serves the `*.br` siblings written at build time. `.fallback` answers deep links such as
    // /wilayah/32.16 with index.html and 200; `.not_found_service` would force a 404.
    // A build's files (`pkg/`) have no fallback: a missing one is a 404, never the page, so
    // the workspace's service worker refuses an incomplete build instead of caching HTML as
    // wasm.
    let spa = built_app(&dist);
    // The officials' workspace is a second app under /kerja, with its own deep links.
    let kerja = built_app(&dist.join("kerja"));
    let data = http::api(&state)
        .merge(http::public_pages(&state))
        // Once, here: merged routers that each had one would clash on shared paths.
        .method_not_allowed_fallback(|| async { http::ApiError::Code(pantau_core::ErrorCode::MethodNotAllowed) });
    let data = data.merge(http::portal_pages());
    let router = data
        .nest_service(
            "/kerja",
            ServiceBuilder::new()
                .layer(middleware::from_fn(http::cache::static_cache))
                .service(kerja),
        )
        .fallback_service(
            ServiceBuilder::new()
                .layer(middleware::from_fn(http::cache::static_cache))
                .service(spa),
        )
        .layer(middleware::from_fn(http::cache::frame_policy))
        .layer(middleware::from_fn_with_state(state.clone(), http::log_refusals))
        .with_state(state);
    http::middleware(router)
}

/// One built app in `dir`: its files, `*.br` siblings included, and `index.html` for every
/// other address (deep links), except under `pkg/`, where a missing file is a 404.
fn built_app(dir: &std::path::Path) -> Router {
    Router::new()
        .nest_service("/pkg", ServeDir::new(dir.join("pkg")).precompressed_br())
        .fallback_service(
            ServeDir::new(dir)
                .precompressed_br()
                .fallback(ServeFile::new(dir.join("index.html"))),
        )
}

/// Loads the shipped region list when the database holds another version (or none), seeds
/// the demo data set when asked and the database has no enrolments, and purges idempotency
/// keys past their 30 days.
pub async fn prepare(store: &dyn Store, demo: bool, now: pantau_core::Month) -> anyhow::Result<()> {
    let shipped = reference::shipped()?;
    if store.regions_version().await?.as_deref() != Some(shipped.version.as_str()) {
        let started = std::time::Instant::now();
        store.load_regions(&shipped).await?;
        tracing::info!(version = %shipped.version, regions = shipped.regions.len(), elapsed_ms = started.elapsed().as_millis(), "region list loaded");
    }
    if demo && store.enrolment_count().await? == 0 {
        let started = std::time::Instant::now();
        let enrolments = demo::enrolments(&shipped, now, DEMO_SEED);
        store.bulk_enrol(&enrolments, true).await?;
        tracing::info!(
            rows = enrolments.len(),
            elapsed_ms = started.elapsed().as_millis(),
            "demo data seeded"
        );
    }
    if demo && store.account_count().await? == 0 {
        demo::create_accounts(store).await?;
        let seeded = demo::seed_village_history(store, time::OffsetDateTime::now_utc(), DEMO_SEED).await?;
        tracing::info!(
            rows = seeded,
            village = demo::DEMO_VILLAGE,
            "demo village history seeded"
        );
    }
    let purged = http::idempotency::purge_expired(store, time::OffsetDateTime::now_utc().unix_timestamp()).await?;
    if purged > 0 {
        tracing::info!(purged, "old idempotency keys purged");
    }
    Ok(())
}

/// Seed of the demo data set: the same seed always gives the same people.
pub const DEMO_SEED: u64 = 202_209;
