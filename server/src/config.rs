//! Server settings: command-line flags, each with a `PANTAU_*` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

/// How to run the server.
#[derive(Clone, Debug, clap::Parser)]
#[command(
    name = "pantau-server",
    about = "Pantau: coverage of vulnerable workers by BPJS Ketenagakerjaan"
)]
pub struct Config {
    /// Address to listen on. Port 0 picks a free port; the chosen URL is printed.
    #[arg(long, env = "PANTAU_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// SQLite database file, created and loaded with the reference regions on first start.
    #[arg(long, env = "PANTAU_DB", default_value = "pantau.sqlite")]
    pub db: PathBuf,

    /// Folder holding the built app (index.html and its assets).
    #[arg(long, env = "PANTAU_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Seed the demonstration data set when the database holds no enrolments yet.
    #[arg(long, env = "PANTAU_DEMO")]
    pub demo: bool,

    /// Send the session cookie without `Secure`, for plain-HTTP use other than localhost.
    /// Never in production.
    #[arg(long, env = "PANTAU_INSECURE_COOKIES")]
    pub insecure_cookies: bool,

    /// The site's public address, e.g. `https://pantau.example.id`: link previews name their
    /// image by an absolute URL. Without it, the request's `Host` is used.
    #[arg(long, env = "PANTAU_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Addresses of reverse proxies in front of the server (comma-separated): only from these
    /// is `X-Forwarded-For` believed, so sign-in throttling counts each client behind them
    /// apart. Without it, the header is ignored and the connection's address is the client's.
    #[arg(long, env = "PANTAU_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// Connections open at once; more wait until one closes. Each costs a file descriptor
    /// and some memory, so a flood of (slow) clients cannot exhaust them.
    #[arg(long, env = "PANTAU_MAX_CONNECTIONS", default_value_t = 4096)]
    pub max_connections: usize,

    /// A one-off task instead of serving.
    #[command(subcommand)]
    pub task: Option<Task>,
}

/// One-off tasks on the database.
#[derive(Clone, Debug, clap::Subcommand)]
pub enum Task {
    /// Import village boundaries (GeoJSON FeatureCollection, one feature per village with its
    /// code in `properties.code`) for one regency; all or nothing.
    ImportBoundaries {
        /// The regency or city, e.g. `11.01`.
        #[arg(long)]
        regency: String,
        /// The GeoJSON file.
        file: PathBuf,
    },
    /// Create a national admin account. The password is read from `PANTAU_ADMIN_PASSWORD`
    /// or, when that is unset, from the first line of standard input; it is never printed.
    CreateAdmin {
        /// Username: 3–32 lower-case letters, digits, dot, hyphen or underscore.
        #[arg(long)]
        username: String,
        /// Name shown in the workspace and the audit log.
        #[arg(long)]
        display_name: String,
        /// E-mail address, usable to sign in.
        #[arg(long)]
        email: Option<String>,
    },
    /// Recounts every aggregate from the enrolments (without changing them) and exits with
    /// an error naming the tables that differ: the check after a crash or a restore.
    VerifyAggregates,
    /// Serves a fixed body of `bytes` bytes at every address with plain axum, nothing else:
    /// the ceiling `cargo xtask bench` puts beside Pantau's full public answers.
    FixedBody {
        /// Size of the body.
        #[arg(long)]
        bytes: usize,
    },
    /// Writes a CSV of fictional workers in the import template's columns, every row valid
    /// this month, spread over the villages of `area` (for trying the import and for
    /// `cargo xtask bench`). Clearly fictional: NIKs of Tebet (31.74.01), made-up names.
    SampleImport {
        /// Area whose villages the rows go to, e.g. `32.16`.
        #[arg(long)]
        area: String,
        /// Number of rows.
        #[arg(long, default_value_t = 1000)]
        rows: usize,
        /// The CSV to write.
        file: PathBuf,
    },
}
