//! Throwaway stores for tests and benchmarks. Which database they run on is chosen by the
//! environment, so one suite covers both: with `JIFEN_TEST_DATABASE_URL` (a PostgreSQL
//! server, as `make test` starts it) each store is a fresh database there; without it, a
//! fresh SQLite file. Either is removed when the [`Scratch`] is dropped.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

pub const ENV: &str = "JIFEN_TEST_DATABASE_URL";

pub struct Scratch {
    /// What to pass to [`super::Db::open`] or `jifen serve --db`.
    pub target: String,
    dir: PathBuf,
    postgres: Option<(String, String)>,
}

impl Scratch {
    /// A new empty store named after `label` (letters, digits and `_`).
    pub fn new(label: &str) -> Result<Scratch, String> {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "jifen_{label}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        match std::env::var(ENV).ok().filter(|u| !u.is_empty()) {
            Some(url) => Ok(Scratch {
                target: super::postgres::create_database(&url, &name)?,
                dir,
                postgres: Some((url, name)),
            }),
            None => Ok(Scratch {
                target: dir.join("ledger.db").to_string_lossy().into_owned(),
                dir,
                postgres: None,
            }),
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some((url, name)) = &self.postgres {
            let _ = super::postgres::drop_database(url, name);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
