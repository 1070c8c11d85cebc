//! HTTP errors: the core's typed error list with a status code. Bad input is a 4xx with the
//! list; only a broken database is a 500.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub errors: Vec<jifen::Error>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, path: &str, message: &str) -> ApiError {
        ApiError {
            status,
            errors: vec![jifen::Error::new(code, path, message)],
        }
    }
    pub fn bad(errors: Vec<jifen::Error>) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        }
    }
    pub fn unauthorized(message: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "", message)
    }
    pub fn forbidden(message: &str) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", "", message)
    }
    pub fn internal(message: &str) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "", message)
    }
}

impl From<Vec<jifen::Error>> for ApiError {
    fn from(errors: Vec<jifen::Error>) -> Self {
        ApiError::bad(errors)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "errors": self.errors });
        (
            self.status,
            [("content-type", "application/json")],
            body.to_string(),
        )
            .into_response()
    }
}
