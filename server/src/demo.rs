//! Demo mode: members the demo storefront can switch between, with real ledger history.
//! A plain member, a Silver member, and a Gold member whose oldest points expire soon, the
//! Gold and plain members sharing a household (green points can move between them).

use crate::db::{self, Entry};
use crate::error::ApiError;
use crate::AppState;

/// Id, household, and the name the shop knows the member by (zh-CN, en). Names are the
/// shop's customer data, not the ledger's: `/api/demo` hands them to the storefront, which
/// passes them to the widget with the member snapshot.
pub const MEMBERS: &[(&str, Option<&str>, [&str; 2])] = &[
    ("demo-member", Some("demo-home"), ["王小米", "Xiaomi Wang"]),
    ("demo-silver", None, ["李华", "Hua Li"]),
    ("demo-gold", Some("demo-home"), ["王建国", "Jianguo Wang"]),
];

/// Seeds the demo members once (an existing database is left as it is).
pub fn seed(s: &AppState) -> Result<(), ApiError> {
    s.db.write(|tx| {
        if db::member_exists(tx, "demo-gold")? {
            return Ok(());
        }
        for (id, household, _) in MEMBERS {
            db::add_member(tx, id, *household)?;
        }
        let at = "2026-01-01T00:00:00+08:00";
        // Lots as the ledger would hold them after earlier orders (earned, available, expires).
        let lots: &[(&str, &str, i64, &str, &str, &str)] = &[
            (
                "demo-member",
                "standard",
                1200,
                "2025-09-10",
                "2025-09-17",
                "2027-09-30",
            ),
            (
                "demo-member",
                "green",
                180,
                "2025-11-02",
                "2025-11-09",
                "2027-11-30",
            ),
            (
                "demo-silver",
                "standard",
                2700,
                "2025-05-20",
                "2025-05-27",
                "2027-05-31",
            ),
            (
                "demo-silver",
                "green",
                420,
                "2025-08-08",
                "2025-08-15",
                "2027-08-31",
            ),
            (
                "demo-gold",
                "standard",
                1500,
                "2024-03-05",
                "2024-03-12",
                "2026-03-31",
            ),
            (
                "demo-gold",
                "standard",
                4200,
                "2025-10-01",
                "2025-10-08",
                "2027-10-31",
            ),
            (
                "demo-gold",
                "green",
                900,
                "2025-06-18",
                "2025-06-25",
                "2027-06-30",
            ),
        ];
        for (i, (member, kind, points, earned, available, expires)) in lots.iter().enumerate() {
            db::append(
                tx,
                &Entry {
                    member,
                    lot: &format!("seed-{i}"),
                    kind,
                    delta: *points,
                    earned,
                    available,
                    expires: Some(expires),
                    reason: "opening_balance",
                    reference: "demo-seed",
                    at,
                },
            )?;
        }
        // Past orders that set the tiers (spend and orders in the last 365 days).
        let orders: &[(&str, &str, &str, u32)] = &[
            ("demo-silver", "2025-12-01", "800.00", 5),
            ("demo-gold", "2025-12-05", "1000.00", 12),
        ];
        for (member, day, spend, n) in orders {
            for k in 0..*n {
                db::insert_order(
                    tx,
                    &db::Order {
                        id: &format!("seed-{member}-{k}"),
                        member,
                        at: &format!("{day}T12:00:00+08:00"),
                        day,
                        spend,
                        total_points: 0,
                        fingerprint: "demo-seed",
                        lines: "[]",
                    },
                )?;
            }
        }
        Ok(())
    })
}

/// Demo mode only: the demo members with working tokens, so the storefront can switch
/// between them. Never routed outside `--demo`.
pub async fn tokens(
    axum::extract::State(s): axum::extract::State<std::sync::Arc<AppState>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let until = chrono::Utc::now().timestamp() + 30 * 86_400;
    let members: Vec<serde_json::Value> = MEMBERS
        .iter()
        .map(|(id, _, [zh, en])| {
            let token = crate::auth::member_token(&s.config.secret, id, until);
            serde_json::json!({ "id": id, "name": { "zh-CN": zh, "en": en }, "token": token })
        })
        .collect();
    (
        [("content-type", "application/json")],
        serde_json::json!({ "members": members, "at": "2026-03-10T12:00:00+08:00" }).to_string(),
    )
        .into_response()
}
