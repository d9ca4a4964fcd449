//! Reaching the fleet store: the URL of `--store`, a connection, and what went wrong in
//! words a supervisor can act on (never the password).

use postgres::{Client, NoTls};

/// Why the fleet store cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    #[error("{shown}: error: {what}: {why}")]
    Db {
        shown: String,
        what: &'static str,
        why: String,
    },
    #[error(
        "{shown}: error: the database holds sitecheck schema version {database}, newer than this sitecheck knows ({binary}); upgrade sitecheck to use it"
    )]
    Newer {
        shown: String,
        database: i32,
        binary: i32,
    },
}

/// A `postgres::Error` as one line: the server's own message when it sent one, else the
/// client's (and what caused it: a refused connection, a missing socket).
pub fn db_error(shown: &str, what: &'static str, e: &postgres::Error) -> FleetError {
    let why = match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => {
            let mut why = e.to_string();
            use std::error::Error as _;
            let mut source = e.source();
            while let Some(cause) = source {
                let text = cause.to_string();
                if !why.contains(&text) {
                    why = format!("{why}: {text}");
                }
                source = cause.source();
            }
            if e.is_closed() {
                why = format!("the connection to the server was lost ({why})");
            }
            why
        }
    };
    FleetError::Db {
        shown: shown.to_owned(),
        what,
        why,
    }
}

/// Whether `store` names a database rather than a folder.
pub fn is_database_url(store: &str) -> bool {
    store.starts_with("postgres://") || store.starts_with("postgresql://")
}

/// The URL as messages show it: any password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{scheme}://{name}:***@{host}{path}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Connects to the database of `url` (Unix sockets as `%2Fpath` hosts or `?host=/path`).
pub fn connect(url: &str) -> Result<Client, FleetError> {
    let shown = redact(url);
    let config: postgres::Config = url.parse().map_err(|e: postgres::Error| FleetError::Db {
        shown: shown.clone(),
        what: "not a database URL",
        why: e.to_string(),
    })?;
    let mut config = config;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(std::time::Duration::from_secs(10));
    }
    config.application_name("sitecheck");
    config
        .connect(NoTls)
        .map_err(|e| db_error(&shown, "cannot connect to the fleet store", &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact("postgres://ann:secret@db.example:5432/fleet"),
            "postgres://ann:***@db.example:5432/fleet"
        );
        assert_eq!(
            redact("postgres://ann@%2Ftmp%2Fsock/fleet"),
            "postgres://ann@%2Ftmp%2Fsock/fleet"
        );
        assert_eq!(
            redact("postgres:///fleet?host=/tmp"),
            "postgres:///fleet?host=/tmp"
        );
    }

    #[test]
    fn only_postgres_urls_are_databases() {
        assert!(is_database_url("postgres://x/y"));
        assert!(is_database_url("postgresql://x/y"));
        assert!(!is_database_url("/srv/sitecheck"));
    }
}
