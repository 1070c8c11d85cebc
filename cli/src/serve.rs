//! `jifen serve` and `jifen expire`: the authority server and its expiry job.

use crate::{flag, read, Failure};
use jifen_server::{auth, demo, AppState, Config};
use std::sync::Arc;

fn state(args: &[String], demo_mode: bool) -> Result<AppState, Failure> {
    // The demo shop's default is the reference programme with display names for its ids.
    let default = if demo_mode {
        "examples/demo.program.json"
    } else {
        "examples/hongmi-home.program.json"
    };
    let program = flag(args, "--program")?.unwrap_or(default);
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    // An SQLite file by default; PostgreSQL with --db postgres://… or DATABASE_URL.
    let db_path = match flag(args, "--db")? {
        Some(d) => d.to_string(),
        None => env("DATABASE_URL").unwrap_or_else(|| "jifen.db".into()),
    };
    let (secret, admin_key) = match (env("JIFEN_SECRET"), env("JIFEN_ADMIN_KEY"), demo_mode) {
        (Some(s), Some(k), _) => (s, k),
        (s, k, true) => (
            s.unwrap_or_else(|| "demo-secret".into()),
            k.unwrap_or_else(|| "demo-admin-key".into()),
        ),
        _ => {
            return Err(Failure::Usage(
                "set JIFEN_SECRET and JIFEN_ADMIN_KEY (or run with --demo)".into(),
            ))
        }
    };
    let root = flag(args, "--root")?
        .map(Into::into)
        .or_else(|| std::env::current_dir().ok());
    let db = jifen_server::db::Db::open(&db_path).map_err(Failure::Usage)?;
    let config = Config {
        secret,
        admin_key,
        allow_clock_override: demo_mode,
        static_root: root,
    };
    AppState::new(&read(program)?, db, config).map_err(Failure::Usage)
}

pub fn serve(args: &[String]) -> Result<String, Failure> {
    let demo_mode = args.iter().any(|a| a == "--demo");
    let addr = flag(args, "--addr")?
        .unwrap_or("127.0.0.1:8080")
        .to_string();
    let state = Arc::new(state(args, demo_mode)?);
    if demo_mode {
        demo::seed(&state).map_err(|e| Failure::Input(e.errors))?;
        let until = chrono::Utc::now().timestamp() + 30 * 86_400;
        println!(
            "jifen demo on http://{addr}/  (storefront), http://{addr}/simulator.html (simulator)"
        );
        println!("admin key: {}", state.config.admin_key);
        for (member, _, _) in demo::MEMBERS {
            println!(
                "member token {member}: {}",
                auth::member_token(&state.config.secret, member, until)
            );
        }
    } else {
        println!("jifen serving on http://{addr}/");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Usage(e.to_string()))?;
    rt.block_on(jifen_server::serve(state, &addr))
        .map_err(Failure::Usage)?;
    Ok(String::new())
}

pub fn expire(args: &[String]) -> Result<String, Failure> {
    let state = state(args, true)?;
    let at = match flag(args, "--at")? {
        Some(a) => jifen::calendar::Instant::parse(a, "--at")?,
        None => jifen::calendar::Instant(chrono::Local::now().fixed_offset()),
    };
    let out = jifen_server::expire_due(&state, at).map_err(|e| Failure::Input(e.errors))?;
    Ok(out.to_string())
}
