//! Access: member tokens signed by the merchant's backend, and the admin API key.
//!
//! A member token is `member_id.expires_unix.signature`, the signature being hex
//! HMAC-SHA256 of `member_id.expires_unix` under the configured secret. The merchant's
//! backend mints it when the shopper logs in; the widget sends it as `Authorization: Bearer`.

use crate::error::ApiError;
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use sha2::Sha256;

fn sign(secret: &str, payload: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| {
        <Hmac<Sha256> as Mac>::new_from_slice(b"-").expect("hmac takes any key")
    });
    mac.update(payload.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Mints a token for `member` valid until `expires_unix`.
pub fn member_token(secret: &str, member: &str, expires_unix: i64) -> String {
    let payload = format!("{member}.{expires_unix}");
    format!("{payload}.{}", sign(secret, &payload))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

/// The member id a valid, unexpired token names.
pub fn member(headers: &HeaderMap, secret: &str, now_unix: i64) -> Result<String, ApiError> {
    let token = bearer(headers).ok_or_else(|| {
        ApiError::unauthorized("a member token is required (Authorization: Bearer …)")
    })?;
    let mut parts = token.rsplitn(3, '.');
    let (Some(sig), Some(exp), Some(member)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(ApiError::unauthorized("malformed member token"));
    };
    let expected = sign(secret, &format!("{member}.{exp}"));
    // Constant-time comparison of the hex signatures.
    let same = sig.len() == expected.len()
        && sig
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(ApiError::unauthorized(
            "the member token's signature is not valid",
        ));
    }
    match exp.parse::<i64>() {
        Ok(e) if e >= now_unix => Ok(member.to_string()),
        _ => Err(ApiError::unauthorized("the member token has expired")),
    }
}

/// Checks the admin API key.
pub fn admin(headers: &HeaderMap, key: &str) -> Result<(), ApiError> {
    match bearer(headers) {
        Some(k)
            if !key.is_empty()
                && k.len() == key.len()
                && k.bytes()
                    .zip(key.bytes())
                    .fold(0u8, |a, (x, y)| a | (x ^ y))
                    == 0 =>
        {
            Ok(())
        }
        _ => Err(ApiError::unauthorized("the admin API key is required")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(token: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("authorization", format!("Bearer {token}").parse().unwrap());
        h
    }

    #[test]
    fn a_signed_token_names_its_member_and_a_forged_one_is_refused() {
        let t = member_token("s3cret", "m-1", 2_000_000_000);
        assert_eq!(
            member(&headers(&t), "s3cret", 1_900_000_000).unwrap(),
            "m-1"
        );
        assert!(member(&headers(&t), "other", 1_900_000_000).is_err());
        let forged = t.replacen("m-1", "m-2", 1);
        assert!(member(&headers(&forged), "s3cret", 1_900_000_000).is_err());
        assert!(member(&headers(&t), "s3cret", 2_100_000_000).is_err());
    }
}
