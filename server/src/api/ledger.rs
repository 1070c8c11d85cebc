//! The writes: orders, redemptions, transfers and returns, each one transaction with an
//! idempotency key, each a core decision turned into ledger entries.

use super::{
    body_json, ensure_member, idempotent, only, run, sent_this_month, snapshot, stamp, Shared,
};
use crate::db::{self, Entry, Sql};
use crate::error::ApiError;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jifen::Operation;
use serde_json::{json, Value};
use std::collections::HashMap;

pub async fn orders(
    State(s): Shared,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let at = s.now(&headers)?;
    let member = s.member(&headers, at)?;
    let mut req = body_json(body).await?;
    only(
        &req,
        &["lines", "order_discount", "offset_points", "preview"],
    )?;
    let preview = req.as_object_mut().and_then(|o| o.remove("preview"));
    let engine = s.engine();
    idempotent(&s, &headers, &member, |tx| {
        ensure_member(tx, &member)?;
        let snap = snapshot(tx, &engine, &member, at)?;
        let stamp = stamp(&engine, at);
        let order_id = format!("o-{}", db::next_order_number(tx)?);
        // Points paid as a bill offset are spent first, from the soonest-expiring lots.
        let offset_points = req["offset_points"].as_i64().unwrap_or(0);
        if offset_points != 0 {
            let q = run(
                &engine,
                Operation::Quote,
                &json!({ "member": snap, "lines": req["lines"], "order_discount": req["order_discount"] }),
                at,
            )?;
            let spent = run(
                &engine,
                Operation::Redeem,
                &json!({ "member": snap, "offset": { "points": offset_points, "order_amount": q["amount_due"] } }),
                at,
            )?;
            spend_lots(
                tx,
                &member,
                &spent["consumed"],
                "bill_offset",
                &order_id,
                &stamp,
            )?;
        }
        let mut quote_req = req.clone();
        quote_req["member"] = snap;
        let q = run(&engine, Operation::Quote, &quote_req, at)?;
        let recorded: Vec<Value> = q["lines"].as_array().into_iter().flatten().enumerate().map(|(i, l)| {
            json!({ "line": l["id"].as_str().map(str::to_string).unwrap_or_else(|| format!("{i}")), "kind": l["kind"], "points": l["points"], "quantity": req["lines"][i]["quantity"] })
        }).collect();
        db::insert_order(
            tx,
            &db::Order {
                id: &order_id,
                member: &member,
                at: &stamp,
                day: q["day"].as_str().unwrap_or(""),
                spend: q["eligible_spend"].as_str().unwrap_or("0"),
                total_points: q["total_points"].as_i64().unwrap_or(0),
                fingerprint: &engine.program_ref.fingerprint,
                lines: &Value::from(recorded).to_string(),
            },
        )?;
        for (kind, points) in q["points"].as_object().into_iter().flatten() {
            let points = points.as_i64().unwrap_or(0);
            if points > 0 {
                db::append(
                    tx,
                    &Entry {
                        member: &member,
                        lot: &format!("{order_id}:{kind}"),
                        kind,
                        delta: points,
                        earned: q["day"].as_str().unwrap_or(""),
                        available: q["available_on"].as_str().unwrap_or(""),
                        expires: q["expires_on"].as_str(),
                        reason: "earned",
                        reference: &order_id,
                        at: &stamp,
                    },
                )?;
            }
        }
        let matches = preview.as_ref().map(|p| {
            p["fingerprint"] == json!(engine.program_ref.fingerprint)
                && p["total_points"] == q["total_points"]
        });
        Ok((
            StatusCode::CREATED,
            json!({ "order_id": order_id, "authoritative": true, "preview_matches": matches, "quote": q }),
        ))
    })
}

/// Appends the negative entries for lot parts the core consumed.
fn spend_lots(
    tx: &mut dyn Sql,
    member: &str,
    consumed: &Value,
    reason: &str,
    reference: &str,
    at: &str,
) -> Result<(), ApiError> {
    for part in consumed.as_array().into_iter().flatten() {
        let lot = part["id"]
            .as_str()
            .ok_or_else(|| ApiError::internal("consumed lot without id"))?;
        db::append(
            tx,
            &Entry {
                member,
                lot,
                kind: part["kind"].as_str().unwrap_or(""),
                delta: -part["points"].as_i64().unwrap_or(0),
                earned: part["earned"].as_str().unwrap_or(""),
                available: part["available"]
                    .as_str()
                    .unwrap_or(part["earned"].as_str().unwrap_or("")),
                expires: part["expires"].as_str(),
                reason,
                reference,
                at,
            },
        )?;
    }
    Ok(())
}

pub async fn redemptions(
    State(s): Shared,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let at = s.now(&headers)?;
    let member = s.member(&headers, at)?;
    let req = body_json(body).await?;
    only(&req, &["reward_id"])?;
    let engine = s.engine();
    idempotent(&s, &headers, &member, |tx| {
        ensure_member(tx, &member)?;
        let snap = snapshot(tx, &engine, &member, at)?;
        let r = run(
            &engine,
            Operation::Redeem,
            &json!({ "member": snap, "reward_id": req["reward_id"] }),
            at,
        )?;
        let reference = db::next_reference(tx, "redeemed", "r")?;
        spend_lots(
            tx,
            &member,
            &r["consumed"],
            "redeemed",
            &reference,
            &stamp(&engine, at),
        )?;
        Ok((
            StatusCode::CREATED,
            json!({ "redemption_id": reference, "result": r }),
        ))
    })
}

pub async fn transfers(
    State(s): Shared,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let at = s.now(&headers)?;
    let member = s.member(&headers, at)?;
    let req = body_json(body).await?;
    only(&req, &["to", "points", "kind"])?;
    let to = req["to"]
        .as_str()
        .ok_or_else(|| {
            ApiError::bad(vec![jifen::Error::new(
                "missing_field",
                "to",
                "name the receiving member",
            )])
        })?
        .to_string();
    let engine = s.engine();
    idempotent(&s, &headers, &member, |tx| {
        ensure_member(tx, &member)?;
        let household = db::household_of(tx, &member)?
            .ok_or_else(|| ApiError::forbidden("you are not in a household"))?;
        // Only members of the sender's own household are visible: another household's
        // wallet is never read, let alone moved.
        let members = db::household_members(tx, &household)?;
        if !members.contains(&to) {
            return Err(ApiError::forbidden("the receiver is not in your household"));
        }
        let sent = sent_this_month(tx, &engine, &member, at)?;
        let from = snapshot(tx, &engine, &member, at)?;
        let to_snap = snapshot(tx, &engine, &to, at)?;
        let t = run(
            &engine,
            Operation::Transfer,
            &json!({ "household": members, "from": from, "to": to_snap, "points": req["points"], "kind": req["kind"], "sent_this_month": sent }),
            at,
        )?;
        let reference = db::next_reference(tx, "transfer_out", "t")?;
        let stamp = stamp(&engine, at);
        spend_lots(tx, &member, &t["moved"], "transfer_out", &reference, &stamp)?;
        for (i, part) in t["moved"].as_array().into_iter().flatten().enumerate() {
            let lot = format!("{reference}:{i}");
            db::append(
                tx,
                &Entry {
                    member: &to,
                    lot: &lot,
                    kind: part["kind"].as_str().unwrap_or(""),
                    delta: part["points"].as_i64().unwrap_or(0),
                    earned: part["earned"].as_str().unwrap_or(""),
                    available: part["available"]
                        .as_str()
                        .unwrap_or(part["earned"].as_str().unwrap_or("")),
                    expires: part["expires"].as_str(),
                    reason: "transfer_in",
                    reference: &reference,
                    at: &stamp,
                },
            )?;
        }
        Ok((
            StatusCode::CREATED,
            json!({ "transfer_id": reference, "points": t["points"], "kind": t["kind"], "moved": t["moved"], "remaining_this_month": t["remaining_this_month"] }),
        ))
    })
}

pub async fn returns(
    State(s): Shared,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let at = s.now(&headers)?;
    let member = s.member(&headers, at)?;
    let req = body_json(body).await?;
    only(&req, &["order_id", "lines"])?;
    let order_id = req["order_id"].as_str().unwrap_or("").to_string();
    let engine = s.engine();
    idempotent(&s, &headers, &member, |tx| {
        let (owner, lines) = db::order(tx, &order_id)?.ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_order",
                "order_id",
                "no such order",
            )
        })?;
        if owner != member {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_order",
                "order_id",
                "no such order",
            ));
        }
        let mut recorded: Vec<Value> = serde_json::from_str(&lines).unwrap_or_default();
        let returned: HashMap<String, i64> = db::returned(tx, &order_id)?.into_iter().collect();
        for line in &mut recorded {
            line["returned"] = json!(returned
                .get(line["line"].as_str().unwrap_or(""))
                .copied()
                .unwrap_or(0));
        }
        let snap = snapshot(tx, &engine, &member, at)?;
        let mut wallet = snap["wallet"].clone();
        for lot in wallet.as_array_mut().into_iter().flatten() {
            if lot["id"]
                .as_str()
                .is_some_and(|id| id.starts_with(&format!("{order_id}:")))
            {
                lot["source"] = json!(order_id);
            }
        }
        let r = run(
            &engine,
            Operation::Return,
            &json!({ "member": { "wallet": wallet }, "order_id": order_id, "recorded": recorded, "lines": req["lines"] }),
            at,
        )?;
        let stamp = stamp(&engine, at);
        let reference = format!("return:{order_id}:{}", returned.values().sum::<i64>() + 1);
        spend_lots(tx, &member, &r["taken"], "returned", &reference, &stamp)?;
        let owed_total: i64 = r["points_owed"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(_, v)| v.as_i64())
            .sum();
        for l in r["lines"].as_array().into_iter().flatten() {
            db::insert_return(
                tx,
                &order_id,
                l["line"].as_str().unwrap_or(""),
                l["quantity"].as_i64().unwrap_or(0),
                l["points"].as_i64().unwrap_or(0),
                owed_total,
                &stamp,
            )?;
        }
        Ok((
            StatusCode::CREATED,
            json!({ "lines": r["lines"], "taken": r["taken"], "points_owed": r["points_owed"] }),
        ))
    })
}
