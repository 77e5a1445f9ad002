//! The public transparency log (issue 12), for anyone, without an account: the signed tree
//! heads, their sealed PDFs, inclusion proofs of evidences and consistency proofs between
//! heads, as JSON documents ([`crate::transparency::proof`]). docs/transparency.md says how to
//! check them.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use crate::AppState;
use crate::transparency::heads::{self, SignedHead};
use crate::transparency::proof::{
    CONSISTENCY_FORMAT, ConsistencyDoc, HeadDoc, INCLUSION_FORMAT, InclusionDoc, to_hex,
};

/// How many heads `/log/heads` lists at most (the latest).
const LISTED_HEADS: i64 = 1_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/log/heads", get(list_heads))
        .route("/log/heads/latest", get(latest_head))
        .route("/log/heads/{evidence_id}", get(head_pdf))
        .route("/log/inclusion/{evidence_id}", get(inclusion))
        .route("/log/consistency", get(consistency))
}

/// A 4xx answer: a status and a sentence.
fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({ "error": message.into() }))).into_response()
}

/// A failure of ours: logged, answered 503 (the log is read from the database and heads are
/// sealed with the HSM and the TSA; either may be away for a moment).
fn unavailable(error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "transparency log");
    refuse(
        StatusCode::SERVICE_UNAVAILABLE,
        "the transparency log cannot answer now; try again later",
    )
}

async fn list_heads(State(state): State<AppState>) -> Response {
    match heads::list(&state.db, LISTED_HEADS).await {
        Ok(list) => {
            let heads: Vec<HeadDoc> = list.iter().map(HeadDoc::of).collect();
            axum::Json(json!({
                "log": "pli-log-v1",
                "description": "Signed tree heads of this service's transparency log of evidence \
                                (RFC 9162 Merkle tree, SHA-256), latest first. Each is stated by \
                                a sealed, time-stamped checkpoint PDF.",
                "heads": heads,
            }))
            .into_response()
        }
        Err(error) => unavailable(&error),
    }
}

async fn latest_head(State(state): State<AppState>) -> Response {
    match heads::latest(&state.db).await {
        Ok(Some(head)) => axum::Json(HeadDoc::of(&head)).into_response(),
        Ok(None) => refuse(StatusCode::NOT_FOUND, "no tree head has been published yet"),
        Err(error) => unavailable(&error),
    }
}

/// The sealed checkpoint PDF that signs a head.
async fn head_pdf(State(state): State<AppState>, Path(evidence_id): Path<String>) -> Response {
    let head = match heads::get(&state.db, &evidence_id).await {
        Ok(Some(head)) => head,
        Ok(None) => return refuse(StatusCode::NOT_FOUND, "no published tree head has this id"),
        Err(error) => return unavailable(&error),
    };
    match crate::store::evidence::pdf(state.db.pool(), &head.evidence_id).await {
        Ok(Some(pdf)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"tree-head-{}.pdf\"", head.size),
                ),
            ],
            pdf,
        )
            .into_response(),
        Ok(None) => refuse(StatusCode::NOT_FOUND, "no published tree head has this id"),
        Err(error) => unavailable(&error),
    }
}

#[derive(serde::Deserialize)]
struct SizeQuery {
    size: Option<u64>,
}

/// An evidence's inclusion proof: in the tree of `size` leaves if given, else in the latest
/// published head (one is sealed now if the evidence is newer than the latest).
async fn inclusion(
    State(state): State<AppState>,
    Path(evidence_id): Path<String>,
    Query(query): Query<SizeQuery>,
) -> Response {
    // Sequenced first, so that an evidence issued a moment ago is found.
    if let Err(error) = state.log.head(&state.db).await {
        return unavailable(&error);
    }
    let index = match crate::store::log::index_of(state.db.pool(), &evidence_id).await {
        Ok(Some(index)) => u64::try_from(index).unwrap_or(u64::MAX),
        Ok(None) => {
            return refuse(
                StatusCode::NOT_FOUND,
                "no evidence with this id is in the log",
            );
        }
        Err(error) => return unavailable(&error),
    };
    let (size, signed): (u64, Option<SignedHead>) = match query.size {
        Some(size) => (size, None),
        None => {
            let at = state.clock.now();
            match heads::covering(&state.db, &state.sealer, &state.log, at, index + 1).await {
                Ok(Some(head)) => (head.size, Some(head)),
                Ok(None) => return unavailable(&"no head covers a sequenced leaf"),
                Err(error) => return unavailable(&error),
            }
        }
    };
    let proof = match state.log.inclusion(&state.db, &evidence_id, size).await {
        Ok(Some(proof)) => proof,
        Ok(None) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                format!("evidence {evidence_id} is not in a tree of {size} leaves of this log"),
            );
        }
        Err(error) => return unavailable(&error),
    };
    let root = match &signed {
        Some(head) => head.root,
        None => match state.log.root(&state.db, size).await {
            Ok(Some(root)) => root,
            Ok(None) => return refuse(StatusCode::BAD_REQUEST, "the log is smaller than size"),
            Err(error) => return unavailable(&error),
        },
    };
    axum::Json(InclusionDoc {
        format: INCLUSION_FORMAT.to_owned(),
        evidence_id,
        leaf_index: proof.leaf_index,
        tree_size: size,
        root_hash: crate::ledger::hex(&root),
        signed_head: signed.map(|head| head.evidence_id),
        proof: to_hex(&proof.proof),
    })
    .into_response()
}

#[derive(serde::Deserialize)]
struct ConsistencyQuery {
    from: u64,
    to: u64,
}

/// The consistency proof between two sizes of the log.
async fn consistency(
    State(state): State<AppState>,
    Query(query): Query<ConsistencyQuery>,
) -> Response {
    match state.log.consistency(&state.db, query.from, query.to).await {
        Ok(Some(proof)) => axum::Json(ConsistencyDoc {
            format: CONSISTENCY_FORMAT.to_owned(),
            from: query.from,
            to: query.to,
            proof: to_hex(&proof),
        })
        .into_response(),
        Ok(None) => refuse(
            StatusCode::BAD_REQUEST,
            "`from` and `to` must be two sizes of the log, `from` not larger than `to`",
        ),
        Err(error) => unavailable(&error),
    }
}
