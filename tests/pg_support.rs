//! A throwaway PostgreSQL server for one test: `initdb` in a temporary folder, `pg_ctl start`
//! on a Unix socket inside it (and, when asked, on 127.0.0.1 with passwords), stopped when
//! dropped. Run as root (as tests are here), the server runs as the `postgres` user.
//!
//! Where PostgreSQL is not installed, `Pg::start` says why the test is skipped and returns
//! `None` — unless `SITECHECK_REQUIRE_PG=1` (CI), where it fails instead.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

pub struct Pg {
    dir: TempDir,
    bin: PathBuf,
    as_postgres: bool,
    /// The port, on the socket and (when `tcp`) on 127.0.0.1.
    pub port: u16,
    pub tcp: bool,
}

/// The folder of `initdb` and `pg_ctl`: the newest `/usr/lib/postgresql/*/bin`, or
/// `pg_config --bindir`.
fn bindir() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    found.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    found.pop().or_else(|| {
        let out = Command::new("pg_config").arg("--bindir").output().ok()?;
        let bin = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
        bin.join("initdb").is_file().then_some(bin)
    })
}

/// Skips (returns `None` from the test) unless a server could be started.
#[macro_export]
macro_rules! pg_or_skip {
    () => {
        match pg_support::Pg::start() {
            Some(pg) => pg,
            None => return,
        }
    };
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Pg {
    /// A server on a Unix socket only.
    pub fn start() -> Option<Pg> {
        Pg::start_with(false)
    }

    /// A server also on 127.0.0.1, where passwords (scram-sha-256) are required.
    pub fn start_tcp() -> Option<Pg> {
        Pg::start_with(true)
    }

    fn start_with(tcp: bool) -> Option<Pg> {
        let Some(bin) = bindir() else {
            let why = "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin nor from pg_config)";
            if std::env::var("SITECHECK_REQUIRE_PG").as_deref() == Ok("1") {
                panic!("{why}, and SITECHECK_REQUIRE_PG=1 requires the database tests");
            }
            eprintln!("skipped: {why}; install postgresql to run the fleet store tests");
            return None;
        };
        let as_postgres = unsafe { libc::geteuid() } == 0;
        let dir = tempfile::Builder::new()
            .prefix("pg")
            .tempdir_in("/tmp")
            .expect("temp dir");
        std::fs::create_dir(dir.path().join("sock")).unwrap();
        let pg = Pg {
            dir,
            bin,
            as_postgres,
            port: free_port(),
            tcp,
        };
        if as_postgres {
            let chown = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(pg.dir.path())
                .status()
                .unwrap();
            assert!(chown.success(), "chown to postgres");
        }
        let init = pg.run(
            "initdb",
            &[
                "-D",
                &pg.cluster().display().to_string(),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        assert!(init.status.success(), "initdb: {}", text(&init));
        pg.start_server();
        Some(pg)
    }

    fn cluster(&self) -> PathBuf {
        self.dir.path().join("cluster")
    }

    pub fn socket_dir(&self) -> PathBuf {
        self.dir.path().join("sock")
    }

    /// A program of the server's, run as the server's user.
    fn run(&self, program: &str, args: &[&str]) -> Output {
        let path = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        command.args(args).current_dir("/tmp").output().unwrap()
    }

    /// Starts the server (again, after `stop`).
    pub fn start_server(&self) {
        let listen = if self.tcp { "127.0.0.1" } else { "" };
        let options = format!(
            "-k {} -p {} -c listen_addresses='{listen}' -c fsync=off -c max_connections=60",
            self.socket_dir().display(),
            self.port
        );
        let log = self.dir.path().join("server.log").display().to_string();
        let start = self.run(
            "pg_ctl",
            &[
                "-D",
                &self.cluster().display().to_string(),
                "-l",
                &log,
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
        assert!(
            start.status.success(),
            "pg_ctl start: {}\n{}",
            text(&start),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    /// Stops the server at once (as a crash would).
    pub fn stop(&self) {
        let _ = self.run(
            "pg_ctl",
            &[
                "-D",
                &self.cluster().display().to_string(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
    }

    /// The URL of database `db` over the Unix socket, as user `postgres`.
    pub fn url(&self, db: &str) -> String {
        let sock = self.socket_dir().display().to_string().replace('/', "%2F");
        format!("postgres://postgres@{sock}:{}/{db}", self.port)
    }

    /// Makes a new database; its URL.
    pub fn create_db(&self, db: &str) -> String {
        self.sql("postgres", &format!("CREATE DATABASE {db}"));
        self.url(db)
    }

    pub fn client(&self, db: &str) -> postgres::Client {
        postgres::Client::connect(&self.url(db), postgres::NoTls).expect("connect")
    }

    /// Runs SQL as the superuser; panics on an error.
    pub fn sql(&self, db: &str, sql: &str) {
        self.client(db).batch_execute(sql).expect(sql);
    }

    /// Runs SQL as the superuser; the error's text, if any.
    pub fn try_sql(&self, db: &str, sql: &str) -> Result<(), String> {
        self.client(db).batch_execute(sql).map_err(|e| {
            e.as_db_error()
                .map_or_else(|| e.to_string(), |d| d.message().to_owned())
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        self.stop();
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `sitecheck` with `store` args (`--store URL` or `--data-dir DIR`) then `args`, with
/// nothing from the developer's environment; (exit code, stdout, stderr).
pub fn run(store: &[&str], args: &[&str]) -> (i32, String, String) {
    let config = std::env::temp_dir().join("sitecheck-fleet-tests-no-config.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_sitecheck"))
        .args(store)
        .args(args)
        .env_remove("SITECHECK_DATA_DIR")
        .env_remove("SITECHECK_STORE")
        .env_remove("SITECHECK_TECHNICIAN")
        .env_remove("SITECHECK_CHECKLISTS")
        .env("SITECHECK_CONFIG", config)
        .env("LANG", "C")
        .env("TZ", "Asia/Shanghai")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A number the database answers (`SELECT count(*) ...`).
pub fn count(client: &mut postgres::Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).expect(sql).get(0)
}
